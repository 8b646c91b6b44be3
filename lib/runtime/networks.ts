// Chapter 06 in the runtime: which network a container joins, and what joining and leaving
// do on the host. Networks: the default `bridge` (created on first use), `host`, `none`, and
// the user-defined ones, recorded in carton's state database. On a user-defined network, containers find
// each other by name: joining or leaving rewrites the /etc/hosts of every container there.
import { join } from 'node:path';
import { chapter } from '../impl.js';
import { cartonRoot } from './paths.js';
import { runDir } from './paths.js';
import { hostHasIpv6, startProxies, type ProxySet } from './port-proxy.js';
import { listContainers, loadContainer, updateContainer, type ContainerRecord, type JoinedNetwork } from './state.js';
import { emit } from './events.js';

type Networking = Awaited<ReturnType<typeof chapter.networking>>;
type NetworkConfig = ReturnType<Networking['defaultNetwork']>;

/** carton's nft table; each test run has its own (CARTON_NFT_TABLE). */
export const nftTable = (): string => process.env.CARTON_NFT_TABLE || 'carton';
export const registry = (networking: Networking) => new networking.Networks(cartonRoot(), nftTable());

/**
 * The address allocations, in the state database beside the containers' records: an address
 * is written into its container's record (the network it is joining) in the transaction
 * that allocates it, so no crash can leave one without the other.
 */
export const ipamOf = (networking: Networking) => new networking.Ipam(cartonRoot(), recordAddress);
type Allocation = ReturnType<ReturnType<typeof ipamOf>['list']>[number];

function recordAddress(network: string, owner: string, address: string): void {
  if (!loadContainer(owner)) return; // not a container's: a test's, or a Dead record's
  updateContainer(owner, (r) => {
    const first = r.resources.network as JoinedNetwork | undefined;
    if (first?.name === network) first.address = address;
    for (const j of (r.resources.networks ?? []) as JoinedNetwork[]) if (j.name === network) j.address = address;
  });
}

/** The default network, its subnet chosen once (clear of the host's routes and the other networks) and then kept. */
export function bridgeNetwork(networking: Networking): NetworkConfig {
  return registry(networking).predefined('bridge', (taken) => networking.defaultNetwork('bridge', process.env.CARTON_BRIDGE || 'carton0', nftTable(), taken));
}

/**
 * Every network with a bridge, this state root's: the default one and the user-defined ones
 * (those whose record reads: a broken one is listed by `network ls` and `system check`).
 */
export function bridgedNetworks(networking: Networking): NetworkConfig[] {
  const reg = registry(networking);
  const bridge = reg.broken().some((b) => b.name === 'bridge') ? [] : [bridgeNetwork(networking)];
  return [...bridge, ...reg.list().filter((n) => n.name !== 'bridge')];
}

/** The network a container asks for: `bridge` or a user-defined one (host and none have no config). */
export function findNetwork(networking: Networking, name: string): NetworkConfig {
  if (name === 'bridge') return bridgeNetwork(networking);
  const net = registry(networking).get(name);
  if (!net) throw new networking.NetworkError(`network ${name} not found`, `see 'carton network ls', or create it: carton network create ${name}`);
  return net;
}

/** Names of the containers that use the network now or may start on it (every container not exited), given at run or connected. */
export function networkUsers(name: string): string[] {
  return listContainers().filter((c) => c.status !== 'exited' && onNetwork(c, name)).map((c) => c.name);
}

/** Whether the container is on the network: the one given at run, or one connected since. */
export function onNetwork(record: ContainerRecord, name: string): boolean {
  return (record.network ?? 'bridge') === name || (record.networks ?? []).some((n) => n.name === name);
}

/**
 * What the container holds on each network it joined: eth0's network (resources.network)
 * and the connected ones (resources.networks), so that release frees each.
 */
export function joinedNetworks(record: ContainerRecord): JoinedNetwork[] {
  const first = record.resources.network as Omit<JoinedNetwork, 'index'> | undefined;
  return [...(first ? [{ ...first, index: 0 }] : []), ...((record.resources.networks ?? []) as JoinedNetwork[])];
}

/** The names a container has on a network: its name, short id, and the aliases given at run (--network-alias) or connect. */
function namesOn(record: ContainerRecord, network: string, name = record.name): string[] {
  const aliases = (record.network ?? 'bridge') === network ? (record.networkAliases ?? []) : ((record.networks ?? []).find((n) => n.name === network)?.aliases ?? []);
  return [...new Set([name, record.id.slice(0, 12), ...aliases])];
}

/** -p, plus -P: every exposed port (the image's and --expose) on a free host port. */
function portsOf(networking: Networking, record: ContainerRecord) {
  const explicit = (record.publish ?? []).flatMap((spec) => networking.parsePublish(spec));
  const exposed = [...(record.exposedPorts ?? []), ...(record.expose ?? [])];
  return record.publishAll ? [...explicit, ...networking.publishAllPorts(exposed, explicit)] : explicit;
}

/**
 * Rewrite the /etc/hosts of the network's containers from its allocations, in one write
 * transaction (two containers joining at once must not write from stale lists). On the
 * default bridge, names do not resolve: only `only`'s own file is written.
 */
function refreshHosts(networking: Networking, net: NetworkConfig, only?: ContainerRecord): void {
  const userDefined = net.name !== 'bridge';
  ipamOf(networking).hold(net.name, (allocations) => {
    for (const a of allocations) {
      if (only && !userDefined && a.owner !== only.id) continue;
      writeHosts(networking, a.owner, a.owner === only?.id ? only : loadContainer(a.owner), { name: net.name, allocations });
    }
  });
}

/**
 * One container's /etc/hosts: the entries of every network it is on (the held one, whose
 * allocations the caller read under its lock, and the others as they are now).
 */
function writeHosts(networking: Networking, owner: string, record: ContainerRecord | undefined, held?: { name: string; allocations: Allocation[] }): void {
  const hostname = record?.hostname ?? owner.slice(0, 12);
  const names = new Set([...(held ? [held.name] : []), ...(record ? joinedNetworks(record).map((j) => j.name) : [])]);
  const entries: Array<Pick<Allocation, 'address' | 'names'>> = [];
  for (const name of names) {
    const allocations = name === held?.name ? held.allocations : ipamOf(networking).list(name);
    for (const e of networking.hostsFor(allocations, owner, hostname, name !== 'bridge')) {
      if (!entries.some((seen) => seen.address === e.address)) entries.push(e);
    }
  }
  const extra = (record?.extraHosts ?? []).map((line) => `${line}\n`).join(''); // --add-host: kept across rewrites
  networking.writeInPlace(join(runDir(owner), 'hosts'), networking.hostsFile(entries) + extra);
}

/** After `carton rename`: the container's new name resolves, its old one no longer does. */
export function renameOnNetwork(networking: Networking, record: ContainerRecord, name: string): void {
  for (const joined of joinedNetworks(record)) {
    const net = findNetwork(networking, joined.name);
    if (ipamOf(networking).rename(net.name, record.id, namesOn(record, net.name, name))) refreshHosts(networking, net, { ...record, name });
  }
}

/** A network's id (the pre-defined ones' derived from their names), for events. */
function networkId(networking: Networking, name: string): string {
  return registry(networking).get(name)?.id ?? networking.predefinedId(name);
}

/** A network's config, or (removed since the container left it) what names alone find. */
function configOf(networking: Networking, name: string): NetworkConfig {
  try {
    return findNetwork(networking, name);
  } catch {
    return { name, bridge: '', subnet: '', gateway: '', table: nftTable() };
  }
}

/** Free what the container holds on one network: veth, address (and eth0's ports), its names elsewhere. */
function leave(networking: Networking, id: string, joined: JoinedNetwork): void {
  const net = configOf(networking, joined.name);
  // Ports unknown (a crash before they were recorded): look in the table to be sure.
  const published = joined.index === 0 && (joined.ports === undefined || joined.ports.length > 0);
  networking.disconnect({ net, ipam: ipamOf(networking), id, index: joined.index, published });
  if (net.bridge && net.name !== 'bridge') refreshHosts(networking, net);
}

/**
 * Join one more network (eth1, eth2, ...: the lowest free index) while the container runs.
 * Only a container with no interface yet gets the default route through it.
 */
async function join1(networking: Networking, id: string, pid: number, name: string): Promise<void> {
  const net = findNetwork(networking, name);
  let index = 0;
  let defaultRoute = false;
  const record = updateContainer(id, (r) => {
    const joined = joinedNetworks(r);
    while (joined.some((j) => j.index === index)) index++;
    defaultRoute = joined.length === 0;
    r.resources.networks = [...((r.resources.networks ?? []) as JoinedNetwork[]), { name: net.name, index }]; // the intent first, for crash recovery
  });
  let address: string;
  try {
    ({ address } = await networking.connect({ net, ipam: ipamOf(networking), id, pid, names: namesOn(record, net.name), index, defaultRoute }));
  } catch (err) {
    updateContainer(id, (r) => (r.resources.networks = ((r.resources.networks ?? []) as JoinedNetwork[]).filter((j) => j.index !== index)));
    throw err;
  }
  const fresh = updateContainer(id, (r) => {
    for (const j of (r.resources.networks ?? []) as JoinedNetwork[]) if (j.index === index) j.address = address;
  });
  refreshHosts(networking, net, fresh);
}

/**
 * `carton network connect`: record the network (joined at every start, as Docker does) and,
 * if the container runs, join it now. host and none are no networks to join.
 */
export async function connectNetwork(networking: Networking, record: ContainerRecord, name: string, aliases: string[] = []): Promise<void> {
  const what = `connect container ${record.name} to network ${name}`;
  if (name === 'host' || name === 'none') throw new networking.NetworkError(`${what}: ${name} cannot be connected`, `a container uses ${name} only when given at run: carton run --network ${name}`);
  if (record.network === 'host') throw new networking.NetworkError(`${what}: the container uses the host's network stack`, 'run it again with a bridge network to connect it to others');
  findNetwork(networking, name); // an unknown network: its own error
  if (onNetwork(record, name)) throw new networking.NetworkError(`${what}: it is already connected`, `see 'carton inspect ${record.name}'; disconnect it first to change its aliases`);
  updateContainer(record.id, (r) => (r.networks = [...(r.networks ?? []), { name, aliases }]));
  emit('network', 'connect', networkId(networking, name), { container: record.id, name });
  if ((record.status !== 'running' && record.status !== 'paused') || !record.pid) return;
  try {
    await join1(networking, record.id, record.pid, name);
  } catch (err) {
    updateContainer(record.id, (r) => (r.networks = (r.networks ?? []).filter((n) => n.name !== name)));
    throw err;
  }
}

/**
 * `carton network disconnect`: leave the network now (if joined) and for later starts. From
 * eth0's network too: the container then keeps only lo, and starts on none from then on.
 */
export function disconnectNetwork(networking: Networking, record: ContainerRecord, name: string): void {
  const what = `disconnect container ${record.name} from network ${name}`;
  if (!onNetwork(record, name)) throw new networking.NetworkError(`${what}: it is not connected to it`, `see 'carton inspect ${record.name}'`);
  if (name === 'host' || name === 'none') throw new networking.NetworkError(`${what}: it was given at run and stays for the container's life`, 'remove the container and run it again on another network');
  // A container that is not running holds nothing (its last run's resources were released).
  const running = record.status === 'running' || record.status === 'paused';
  const joined = running ? joinedNetworks(loadContainer(record.id) ?? record).find((j) => j.name === name) : undefined;
  if (joined) leave(networking, record.id, joined);
  const fresh = updateContainer(record.id, (r) => {
    if ((r.network ?? 'bridge') === name) {
      r.network = 'none';
      delete r.resources.network;
    } else r.networks = (r.networks ?? []).filter((n) => n.name !== name);
    r.resources.networks = ((r.resources.networks ?? []) as JoinedNetwork[]).filter((j) => j.name !== name);
  });
  if (joined) writeHosts(networking, record.id, fresh);
  emit('network', 'disconnect', networkId(networking, name), { container: record.id, name });
}

export function networkHooks(networking: Networking) {
  return {
    async onReady(record: ContainerRecord, pid: number) {
      const mode = record.network ?? 'bridge';
      if (mode === 'host') return;
      updateContainer(record.id, (r) => (r.resources.networks = [])); // the last run's are released
      // --network none: the stage brought its lo up itself (StageConfig.loopbackUp).
      if (mode !== 'none') {
        const net = findNetwork(networking, mode);
        const ports = portsOf(networking, record);
        updateContainer(record.id, (r) => (r.resources.network = { name: net.name, pending: true })); // as for the cgroup
        const connection = await networking.connect({ net, ipam: ipamOf(networking), id: record.id, pid, names: namesOn(record, net.name), ports, address: record.ipAddress });
        const fresh = updateContainer(record.id, (r) => (r.resources.network = { name: net.name, address: connection.address, ports: connection.ports }));
        await proxyOnIpv6(record.id, connection.address, connection.ports);
        // Its own /etc/hosts (written in place: the stage may have bound it already) and, on a
        // user-defined network, the files of the containers already running there.
        refreshHosts(networking, net, fresh);
      }
      // The networks connected with `carton network connect`: eth1, eth2, ... in order.
      for (const extra of record.networks ?? []) await join1(networking, record.id, pid, extra.name);
    },
    onExit(record: ContainerRecord) {
      stopProxies(record.id);
      return {};
    },
    release(record: ContainerRecord) {
      stopProxies(record.id);
      for (const joined of joinedNetworks(record)) leave(networking, record.id, joined);
    },
  };
}

/** The IPv6 listeners of the containers this process waits for (port-proxy.ts). */
const proxies = new Map<string, ProxySet>();

/**
 * A port published on every address (no host IP) answers on IPv6 too, through a proxy in
 * this process: it lives exactly as long as this process waits for the container.
 */
async function proxyOnIpv6(id: string, address: string, ports: Array<{ hostIp?: string; hostPort: number; containerPort: number; protocol: string }>): Promise<void> {
  const everywhere = ports.filter((p) => !p.hostIp);
  if (!everywhere.length || !hostHasIpv6()) return;
  stopProxies(id);
  const set = await startProxies(address, everywhere);
  proxies.set(id, set);
  updateContainer(id, (r) => {
    const joined = r.resources.network as JoinedNetwork | undefined;
    if (joined) joined.proxied = set.ports;
  });
}

function stopProxies(id: string): void {
  proxies.get(id)?.close();
  proxies.delete(id);
}
