// Publishing ports (-p 8080:80): the host answers on its port 8080 for the container by
// rewriting the destination of each new connection (DNAT) to the container's address and
// port; conntrack rewrites the answers back. No process listens on the host port, so carton
// checks first that no program and no other container uses it.
import { createServer } from 'node:net';
import type { PortMapping } from './parse-publish.js';
import { nft, NetworkError } from './run.js';
import { publishRules, publishedPorts, type NetworkConfig } from './nft.js';

/** Bind the port for a moment to learn whether it is free; port 0 asks the kernel for one. */
function tryBind(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      const bound = (server.address() as { port: number }).port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * The host port for a mapping: checked free (no container publishes it, no program listens
 * on it), or chosen by the kernel when it is 0. `taken` is publishedPorts() of the table.
 */
export async function hostPortFor(p: PortMapping, taken: Set<string>): Promise<number> {
  const where = `${p.hostIp ?? '0.0.0.0'}:${p.hostPort}/${p.protocol}`;
  if (taken.has(`${p.protocol}/${p.hostPort}`)) {
    throw new NetworkError(`port ${where} is already published by another container`, 'choose another host port, or stop that container');
  }
  // UDP ports are checked with a TCP bind too: good enough to find the common clash.
  try {
    return await tryBind(p.hostIp ?? '0.0.0.0', p.hostPort);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new NetworkError(`cannot publish ${where}: ${code}`, code === 'EADDRINUSE'
      ? `another program listens on port ${p.hostPort}: see \`ss -ltnp 'sport = :${p.hostPort}'\`, or choose another host port`
      : `${p.hostIp} must be an address of this host`);
  }
}

export interface PublishOptions {
  net: NetworkConfig;
  id: string;
  address: string;
  ports: PortMapping[];
}

// #region publish
/** Add DNAT rules for the ports; returns them with any host port 0 replaced by the one chosen. */
export async function publish({ net, id, address, ports }: PublishOptions): Promise<PortMapping[]> {
  if (ports.length === 0) return [];
  const taken = publishedPorts(net.table);
  const resolved: PortMapping[] = [];
  for (const p of ports) {
    const hostPort = await hostPortFor(p, taken);
    taken.add(`${p.protocol}/${hostPort}`);
    resolved.push({ ...p, hostPort });
  }
  if (resolved.length) nft(publishRules(net.table, id, address, resolved), `table ip ${net.table}`);
  return resolved;
}
// #endregion publish
