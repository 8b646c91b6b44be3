// Chapter 06 in the runtime: which network a container joins, and what joining and leaving
// do on the host. Networks: the default `bridge` (created on first use), `host`, `none`, and
// the user-defined ones in $CARTON_ROOT/networks. On a user-defined network, containers find
// each other by name: joining or leaving rewrites the /etc/hosts of every container there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chapter } from '../impl.js';
import { cartonRoot } from './paths.js';
import { runDir } from './start.js';
import { listContainers, loadContainer, updateContainer, type ContainerRecord } from './state.js';

type Networking = Awaited<ReturnType<typeof chapter.networking>>;
type NetworkConfig = ReturnType<Networking['defaultNetwork']>;

/** carton's nft table; each test run has its own (CARTON_NFT_TABLE). */
export const nftTable = (): string => process.env.CARTON_NFT_TABLE || 'carton';
const networksDir = (): string => join(cartonRoot(), 'networks');
export const registry = (networking: Networking) => new networking.Networks(networksDir(), nftTable());
export const ipamOf = (networking: Networking) => new networking.Ipam(join(networksDir(), 'ipam'));

/** The default network, its subnet chosen once (clear of the host's routes and the other networks) and then kept. */
export function bridgeNetwork(networking: Networking): NetworkConfig {
  const file = join(networksDir(), 'bridge.network.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as NetworkConfig;
  const taken = registry(networking).list().map((n) => n.subnet);
  const net = networking.defaultNetwork('bridge', process.env.CARTON_BRIDGE || 'carton0', nftTable(), taken);
  mkdirSync(networksDir(), { recursive: true });
  writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(net, null, 2));
  renameSync(`${file}.${process.pid}.tmp`, file);
  return net;
}

/** The network a container asks for: `bridge` or a user-defined one (host and none have no config). */
export function findNetwork(networking: Networking, name: string): NetworkConfig {
  if (name === 'bridge') return bridgeNetwork(networking);
  const net = registry(networking).get(name);
  if (!net) throw new networking.NetworkError(`network ${name} not found`, `see 'carton network ls', or create it: carton network create ${name}`);
  return net;
}

/** Names of the containers that use the network now or may start on it (every container not exited). */
export function networkUsers(name: string): string[] {
  return listContainers().filter((c) => c.status !== 'exited' && (c.network ?? 'bridge') === name).map((c) => c.name);
}

/** -p, plus -P: every exposed port (the image's and --expose) on a free host port. */
function portsOf(networking: Networking, record: ContainerRecord) {
  const explicit = (record.publish ?? []).flatMap((spec) => networking.parsePublish(spec));
  const exposed = [...(record.exposedPorts ?? []), ...(record.expose ?? [])];
  return record.publishAll ? [...explicit, ...networking.publishAllPorts(exposed, explicit)] : explicit;
}

/**
 * Rewrite the /etc/hosts of the network's containers from its allocations, holding the
 * network's lock (two containers joining at once must not write from stale lists). On the
 * default bridge, names do not resolve: only `only`'s own file is written.
 */
function refreshHosts(networking: Networking, net: NetworkConfig, only?: ContainerRecord): void {
  const userDefined = net.name !== 'bridge';
  ipamOf(networking).hold(net.name, (allocations) => {
    for (const a of allocations) {
      if (only && !userDefined && a.owner !== only.id) continue;
      const hostname = a.owner === only?.id ? only.hostname : loadContainer(a.owner)?.hostname ?? a.owner.slice(0, 12);
      networking.writeInPlace(join(runDir(a.owner), 'hosts'), networking.hostsFile(networking.hostsFor(allocations, a.owner, hostname, userDefined)));
    }
  });
}

/** After `carton rename`: the container's new name resolves, its old one no longer does. */
export function renameOnNetwork(networking: Networking, record: ContainerRecord, name: string): void {
  const joined = record.resources.network as { name: string } | undefined;
  if (!joined) return;
  const net = findNetwork(networking, joined.name);
  if (ipamOf(networking).rename(net.name, record.id, [...new Set([name, record.id.slice(0, 12)])])) refreshHosts(networking, net, { ...record, name });
}

export function networkHooks(networking: Networking) {
  return {
    async onReady(record: ContainerRecord, pid: number) {
      const mode = record.network ?? 'bridge';
      if (mode === 'host') return;
      if (mode === 'none') {
        execFileSync('nsenter', [`--net=/proc/${pid}/ns/net`, 'ip', 'link', 'set', 'lo', 'up']);
        return;
      }
      const net = findNetwork(networking, mode);
      const ports = portsOf(networking, record);
      updateContainer(record.id, (r) => (r.resources.network = { name: net.name, pending: true })); // as for the cgroup
      const names = [...new Set([record.name, record.id.slice(0, 12)])];
      const connection = await networking.connect({ net, ipam: ipamOf(networking), id: record.id, pid, names, ports });
      updateContainer(record.id, (r) => (r.resources.network = { name: net.name, address: connection.address, ports: connection.ports }));
      // Its own /etc/hosts (bind-mounted by the stage after this hook) and, on a
      // user-defined network, the files of the containers already running there.
      refreshHosts(networking, net, record);
    },
    release(record: ContainerRecord) {
      const joined = record.resources.network as { name: string; ports?: unknown[] } | undefined;
      if (!joined) return;
      let net: NetworkConfig;
      try {
        net = findNetwork(networking, joined.name);
      } catch {
        // The network was removed after this container left it: free what names alone find.
        net = { name: joined.name, bridge: '', subnet: '', gateway: '', table: nftTable() };
      }
      // Ports unknown (a crash before they were recorded): look in the table to be sure.
      networking.disconnect({ net, ipam: ipamOf(networking), id: record.id, published: joined.ports === undefined || joined.ports.length > 0 });
      if (net.bridge && net.name !== 'bridge') refreshHosts(networking, net);
    },
  };
}
