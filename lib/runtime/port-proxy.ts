// Published ports on IPv6, as Docker's docker-proxy serves them. A container has an IPv4
// address only, and nftables cannot translate IPv6 to IPv4 (there is no NAT46 in the
// kernel), so a port published on every address (`-p 8080:80`, no host IP) is also listened
// on at [::]:8080 by the process that waits for the container (its monitor, or carton run
// in the foreground), which copies each connection (TCP) or datagram flow (UDP) to the
// container's address. IPv4 keeps the kernel's DNAT: no copy through user space.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { CartonError } from '../sys/index.js';

export interface Proxied {
  hostIp: '::';
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

/** Whether this host speaks IPv6 at all (Docker skips the IPv6 listeners otherwise). */
export function hostHasIpv6(): boolean {
  if (!existsSync('/proc/net/if_inet6')) return false;
  try {
    return readFileSync('/proc/sys/net/ipv6/conf/all/disable_ipv6', 'utf8').trim() === '0';
  } catch {
    return false;
  }
}

/** A UDP flow idles out after this long without a datagram, as conntrack's UDP timeout. */
const UDP_IDLE_MS = 30_000;

export interface ProxySet {
  ports: Proxied[];
  close(): void;
}

/** Listen on [::]:hostPort for each port and copy to `address`:containerPort. */
export async function startProxies(address: string, ports: Array<{ hostPort: number; containerPort: number; protocol: string }>): Promise<ProxySet> {
  const closers: Array<() => void> = [];
  const close = () => {
    for (const c of closers.splice(0)) c();
  };
  const started: Proxied[] = [];
  try {
    for (const p of ports) {
      const protocol = p.protocol === 'udp' ? 'udp' : 'tcp';
      closers.push(protocol === 'tcp' ? await tcpProxy(p.hostPort, address, p.containerPort) : await udpProxy(p.hostPort, address, p.containerPort));
      started.push({ hostIp: '::', hostPort: p.hostPort, containerPort: p.containerPort, protocol });
    }
  } catch (error) {
    close();
    throw error;
  }
  return { ports: started, close };
}

function listenError(port: number, protocol: string, error: NodeJS.ErrnoException): CartonError {
  return new CartonError(`cannot publish [::]:${port}/${protocol}: ${error.code ?? error.message}`, `another program listens on port ${port} on IPv6: see \`ss -lnp 'sport = :${port}'\`, or choose another host port`);
}

async function tcpProxy(port: number, address: string, containerPort: number): Promise<() => void> {
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(containerPort, address);
    open.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.pipe(upstream).pipe(client);
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(listenError(port, 'tcp', e as NodeJS.ErrnoException)));
    server.listen({ host: '::', port, ipv6Only: true }, resolve);
  });
  server.on('error', () => {});
  return () => {
    server.close();
    for (const s of open) s.destroy();
  };
}

async function udpProxy(port: number, address: string, containerPort: number): Promise<() => void> {
  const server = createSocket({ type: 'udp6', ipv6Only: true });
  // One IPv4 socket per client (address and port), so the container's replies find their way back.
  const flows = new Map<string, { socket: UdpSocket; timer: NodeJS.Timeout }>();
  const drop = (key: string) => {
    const flow = flows.get(key);
    if (!flow) return;
    clearTimeout(flow.timer);
    flow.socket.close();
    flows.delete(key);
  };
  server.on('message', (message, from) => {
    const key = `[${from.address}]:${from.port}`;
    let flow = flows.get(key);
    if (!flow) {
      const socket = createSocket('udp4');
      socket.on('message', (reply) => server.send(reply, from.port, from.address));
      socket.on('error', () => drop(key));
      flow = { socket, timer: setTimeout(() => drop(key), UDP_IDLE_MS) };
      flows.set(key, flow);
    }
    flow.timer.refresh();
    flow.socket.send(message, containerPort, address);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(listenError(port, 'udp', e as NodeJS.ErrnoException)));
    server.bind({ address: '::', port }, resolve);
  });
  server.on('error', () => {});
  return () => {
    for (const key of [...flows.keys()]) drop(key);
    server.close();
  };
}
