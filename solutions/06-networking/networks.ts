// User-defined networks (`carton network create app`). Docker keeps its networks in its
// daemon's database; carton keeps one JSON file per network under $CARTON_ROOT/networks,
// next to the default network's, created and removed under a lock so that two `network
// create` never take one subnet. A network is what chapter 06 already built, once more:
// a bridge of its own, named after the network's id (cb-<8 hex>, for interface names have
// at most 15 characters), a subnet of its own clear of the host's routes and of the other
// networks, and a masquerade chain of its own in carton's nft table.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contains, gatewayOf, overlaps, parseCidr, pickSubnet, size, toAddress, toNumber } from './addr.js';
import { ensureBridge, hostRoutes, removeBridge } from './bridge.js';
import { Ipam, withLock } from './ipam.js';
import { readJsonFile } from '../../lib/sys/json.js';
import type { NetworkConfig } from './nft.js';
import { NetworkError } from './run.js';

export interface NetworkRecord extends NetworkConfig {
  id: string;
  driver: 'bridge';
  created: string;
  /** --label KEY=VALUE (Compose finds its networks by theirs). */
  labels?: Record<string, string>;
}

/** Docker's pre-defined networks: they cannot be created or removed. */
export const PREDEFINED = ['bridge', 'host', 'none'];
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** The pre-defined networks have no random id: derive a stable one from the name. */
export const predefinedId = (name: string): string => createHash('sha256').update(`carton-network:${name}`).digest('hex');

export interface CreateOptions {
  subnet?: string;
  gateway?: string;
  labels?: Record<string, string>;
  internal?: boolean;
  ipRange?: string;
}

export class Networks {
  // `pick` and `ensure` let exercises/ pass the learner's pickSubnet and natRules.
  constructor(
    private readonly dir: string,
    private readonly table: string,
    private readonly pick: typeof pickSubnet = pickSubnet,
    private readonly ensure: (net: NetworkConfig) => void = ensureBridge,
  ) {}

  private file(name: string): string {
    return join(this.dir, `${name}.network.json`);
  }

  private locked<T>(work: () => T): T {
    mkdirSync(this.dir, { recursive: true });
    return withLock(join(this.dir, 'networks.lock'), work);
  }

  /** Every network with a bridge: the default one (once used) and the user-defined ones. */
  list(): NetworkRecord[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.network.json'))
      .map((f) => readJsonFile<NetworkRecord>(join(this.dir, f), 'the network record', 'restore it, or remove it and its bridge: carton network rm cannot read it (ip link del cb-…)'))
      .map((n) => ({ ...n, id: n.id ?? predefinedId(n.name), driver: 'bridge' as const, created: n.created ?? '' }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A network by name, full id or unique id prefix, as Docker resolves them. */
  get(ref: string): NetworkRecord | undefined {
    const all = this.list();
    const exact = all.find((n) => n.name === ref || n.id === ref);
    if (exact) return exact;
    const matches = /^[0-9a-f]+$/.test(ref) ? all.filter((n) => n.id.startsWith(ref)) : [];
    if (matches.length > 1) throw new NetworkError(`network ${ref} is ambiguous (${matches.length} matches found on id)`, 'use more characters of the id, or the name');
    return matches[0];
  }

  create(name: string, opts: CreateOptions = {}): NetworkRecord {
    if (PREDEFINED.includes(name)) throw new NetworkError(`network ${name} is a pre-defined network and cannot be created`, 'pick another name');
    if (!NAME.test(name)) throw new NetworkError(`invalid network name ${name}: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    const net = this.locked(() => {
      const others = this.list();
      if (others.some((n) => n.name === name)) throw new NetworkError(`network with name ${name} already exists`, `pick another name, or remove it first: carton network rm ${name}`);
      const subnet = opts.subnet ? checkSubnet(opts.subnet, others) : this.pick([...hostRoutes(), ...others.map((n) => n.subnet)], '10.89.0.0/16');
      const gateway = opts.gateway ? checkGateway(opts.gateway, subnet) : gatewayOf(subnet);
      const ipRange = opts.ipRange ? checkRange(opts.ipRange, subnet) : undefined;
      const id = randomBytes(32).toString('hex');
      const record: NetworkRecord = { name, id, driver: 'bridge', bridge: `cb-${id.slice(0, 8)}`, subnet, gateway, table: this.table, created: new Date().toISOString(), ...(opts.labels && Object.keys(opts.labels).length ? { labels: opts.labels } : {}), ...(opts.internal ? { internal: true } : {}), ...(ipRange ? { ipRange } : {}) };
      writeFileSync(`${this.file(name)}.tmp`, JSON.stringify(record, null, 2) + '\n');
      renameSync(`${this.file(name)}.tmp`, this.file(name));
      return record;
    });
    // The bridge now, as Docker does: its route then shows the subnet as taken to everyone.
    try {
      this.ensure(net);
    } catch (err) {
      this.remove(name, () => []);
      throw err;
    }
    return net;
  }

  /** Remove a user-defined network: its bridge, its nft chain, its addresses, its record. */
  remove(ref: string, usersOf: (net: NetworkRecord) => string[]): NetworkRecord {
    if (PREDEFINED.includes(ref)) throw new NetworkError(`${ref} is a pre-defined network and cannot be removed`);
    return this.locked(() => {
      const net = this.get(ref);
      if (!net) throw new NetworkError(`network ${ref} not found`, "see 'carton network ls'");
      if (PREDEFINED.includes(net.name)) throw new NetworkError(`${net.name} is a pre-defined network and cannot be removed`);
      const users = usersOf(net);
      if (users.length) {
        throw new NetworkError(`network ${net.name} is in use by container${users.length > 1 ? 's' : ''} ${users.join(', ')}`, `stop and remove ${users.length > 1 ? 'them' : 'it'} first: carton rm -f ${users.join(' ')}`);
      }
      removeBridge(net);
      new Ipam(join(this.dir, 'ipam')).forget(net.name);
      rmSync(this.file(net.name), { force: true });
      return net;
    });
  }
}

/** A subnet given with --subnet: well formed, aligned, and clear of the other networks. */
function checkSubnet(cidr: string, others: NetworkRecord[]): string {
  const s = parseCidr(cidr);
  const aligned = `${toAddress(s.base)}/${s.prefix}`;
  if (toNumber(cidr.split('/')[0]) !== s.base) throw new NetworkError(`invalid subnet ${cidr}: it is not the first address of its range`, `write ${aligned}`);
  const clash = others.find((n) => overlaps(aligned, n.subnet));
  if (clash) throw new NetworkError(`subnet ${aligned} overlaps network ${clash.name} (${clash.subnet})`, 'choose a subnet no other network uses: see carton network ls');
  return aligned;
}

function checkRange(range: string, subnet: string): string {
  const r = parseCidr(range);
  const s = parseCidr(subnet);
  if (toNumber(range.split('/')[0]) !== r.base) throw new NetworkError(`invalid --ip-range ${range}: it is not the first address of its range`, `write ${toAddress(r.base)}/${r.prefix}`);
  if (r.prefix < s.prefix || !contains(subnet, toAddress(r.base))) throw new NetworkError(`--ip-range ${range} is not inside the subnet ${subnet}`, 'give a range inside the subnet');
  return `${toAddress(r.base)}/${r.prefix}`;
}

/** An address a container may be given on the network (run --ip): a host address of its subnet, not the gateway. */
export function checkAddress(address: string, net: { subnet: string; gateway: string; name: string }): string {
  const s = parseCidr(net.subnet);
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(address) || address.split('.').some((o) => Number(o) > 255)) throw new NetworkError(`invalid IPv4 address ${address}`);
  const n = toNumber(address);
  if (!contains(net.subnet, address) || n === s.base || n === s.base + size(s) - 1) throw new NetworkError(`address ${address} is not a host address of network ${net.name} (${net.subnet})`, `choose one between ${toAddress(s.base + 1)} and ${toAddress(s.base + size(s) - 2)}`);
  if (address === net.gateway) throw new NetworkError(`address ${address} is the gateway of network ${net.name}`, 'choose another');
  return address;
}

function checkGateway(gateway: string, subnet: string): string {
  const s = parseCidr(subnet);
  const n = toNumber(gateway);
  if (!contains(subnet, gateway) || n === s.base || n === s.base + size(s) - 1) {
    throw new NetworkError(`gateway ${gateway} is not a host address of ${subnet}`, `choose an address between ${toAddress(s.base + 1)} and ${toAddress(s.base + size(s) - 2)}`);
  }
  return gateway;
}
