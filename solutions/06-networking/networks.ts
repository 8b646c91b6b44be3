// User-defined networks (`carton network create app`). Docker keeps its networks in its
// daemon's database; carton keeps them in its state database (lib/sys/state-db.ts, SQLite),
// one row per network beside the default network's, each created in one write transaction
// so that two `network create` never take one name or one subnet. A network is what
// chapter 06 already built, once more: a bridge of its own, named after the network's id
// (cb-<8 hex>, for interface names have at most 15 characters), a subnet of its own clear of
// the host's routes and of the other networks, and a masquerade chain of its own in
// carton's nft table.
import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { contains, gatewayOf, overlaps, parseCidr, pickSubnet, size, toAddress, toNumber } from './addr.js';
import { ensureBridge, hostRoutes, removeBridge } from './bridge.js';
import { Ipam } from './ipam.js';
import { databasePath, reading, transaction } from '../../lib/sys/state-db.js';
import type { NetworkConfig } from './nft.js';
import { NetworkError } from './run.js';

export interface NetworkRecord extends NetworkConfig {
  id: string;
  driver: 'bridge';
  created: string;
  /** --label KEY=VALUE (Compose finds its networks by theirs). */
  labels?: Record<string, string>;
}

/** A network whose record cannot be read (a bad disk, a hand edit): listed, and removable by name. */
export interface BrokenNetwork {
  name: string;
  id: string;
  /** Its bridge, if the row still names it: network rm deletes it. */
  bridge: string;
  problem: string;
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

interface Row {
  name: string;
  id: string | null;
  bridge: string | null;
  record: string;
}

type Parsed = { ok: NetworkRecord } | { broken: BrokenNetwork };

export class Networks {
  // `root`: the state root holding state.db. `pick` and `ensure` let exercises/ pass the
  // learner's pickSubnet and natRules.
  constructor(
    private readonly root: string,
    private readonly table: string,
    private readonly pick: typeof pickSubnet = pickSubnet,
    private readonly ensure: (net: NetworkConfig) => void = ensureBridge,
  ) {}

  private parse(row: Row): Parsed {
    const id = row.id ?? predefinedId(row.name);
    try {
      const n = JSON.parse(row.record) as NetworkRecord;
      if (typeof n.subnet !== 'string' || typeof n.bridge !== 'string') throw new Error('it has no subnet or bridge');
      return { ok: { ...n, name: row.name, id: n.id ?? id, driver: 'bridge', created: n.created ?? '', table: n.table ?? this.table } };
    } catch (error) {
      const problem = `its record in ${databasePath(this.root)} is corrupt: ${(error as Error).message}`;
      return { broken: { name: row.name, id, bridge: row.bridge ?? '', problem } };
    }
  }

  private rows(db: DatabaseSync): Parsed[] {
    return (db.prepare('SELECT name, id, bridge, record FROM networks ORDER BY name').all() as unknown as Row[]).map((r) => this.parse(r));
  }

  private all(): Parsed[] {
    return reading(this.root, [], (db) => this.rows(db));
  }

  /** Every network with a bridge whose record reads: the default one (once used) and the user-defined ones. */
  list(): NetworkRecord[] {
    return this.all().flatMap((p) => ('ok' in p ? [p.ok] : []));
  }

  /** The networks whose records cannot be read: `network ls` shows them, `network rm` removes them. */
  broken(): BrokenNetwork[] {
    return this.all().flatMap((p) => ('broken' in p ? [p.broken] : []));
  }

  private find(ref: string, all: Parsed[]): Parsed | undefined {
    const key = (p: Parsed) => ('ok' in p ? p.ok : p.broken);
    const exact = all.find((p) => key(p).name === ref || key(p).id === ref);
    if (exact) return exact;
    const matches = /^[0-9a-f]+$/.test(ref) ? all.filter((p) => key(p).id.startsWith(ref)) : [];
    if (matches.length > 1) throw new NetworkError(`network ${ref} is ambiguous (${matches.length} matches found on id)`, 'use more characters of the id, or the name');
    return matches[0];
  }

  /** A network by name, full id or unique id prefix, as Docker resolves them; one whose record is broken is an error that says how to remove it. */
  get(ref: string): NetworkRecord | undefined {
    const found = this.find(ref, this.all());
    if (found && 'broken' in found) throw brokenError(found.broken);
    return found?.ok;
  }

  /**
   * A pre-defined network's record (the default `bridge`), made with `make` on first use:
   * `make` gets the subnets the other networks hold, and the record is stored in the same
   * transaction, so two first runs agree on one subnet.
   */
  predefined(name: string, make: (taken: string[]) => NetworkConfig): NetworkConfig {
    const stored = (db: DatabaseSync) => this.rows(db).find((p) => ('ok' in p ? p.ok : p.broken).name === name);
    const known = reading(this.root, undefined, stored) ?? transaction(this.root, (db) => {
      const now = stored(db);
      if (now) return now;
      const net = make(this.rows(db).flatMap((p) => ('ok' in p ? [p.ok.subnet] : [])));
      db.prepare('INSERT INTO networks (name, id, bridge, record) VALUES (?, ?, ?, ?)').run(name, predefinedId(name), net.bridge, JSON.stringify(net));
      return this.parse({ name, id: predefinedId(name), bridge: net.bridge, record: JSON.stringify(net) });
    });
    if ('broken' in known) throw brokenError(known.broken);
    return known.ok;
  }

  create(name: string, opts: CreateOptions = {}): NetworkRecord {
    if (PREDEFINED.includes(name)) throw new NetworkError(`network ${name} is a pre-defined network and cannot be created`, 'pick another name');
    if (!NAME.test(name)) throw new NetworkError(`invalid network name ${name}: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    const net = transaction(this.root, (db) => {
      const all = this.rows(db);
      if (all.some((p) => ('ok' in p ? p.ok : p.broken).name === name)) throw new NetworkError(`network with name ${name} already exists`, `pick another name, or remove it first: carton network rm ${name}`);
      const others = all.flatMap((p) => ('ok' in p ? [p.ok] : []));
      const subnet = opts.subnet ? checkSubnet(opts.subnet, others) : this.pick([...hostRoutes(), ...others.map((n) => n.subnet)], '10.89.0.0/16');
      const gateway = opts.gateway ? checkGateway(opts.gateway, subnet) : gatewayOf(subnet);
      const ipRange = opts.ipRange ? checkRange(opts.ipRange, subnet) : undefined;
      const id = randomBytes(32).toString('hex');
      const record: NetworkRecord = { name, id, driver: 'bridge', bridge: `cb-${id.slice(0, 8)}`, subnet, gateway, table: this.table, created: new Date().toISOString(), ...(opts.labels && Object.keys(opts.labels).length ? { labels: opts.labels } : {}), ...(opts.internal ? { internal: true } : {}), ...(ipRange ? { ipRange } : {}) };
      db.prepare('INSERT INTO networks (name, id, bridge, record) VALUES (?, ?, ?, ?)').run(name, id, record.bridge, JSON.stringify(record));
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

  /**
   * Remove a user-defined network: its bridge, its nft chain, its addresses, its record. A
   * network whose record is broken goes too, by the name and bridge its row still holds (the
   * default network's as well, so that the next run makes it afresh).
   */
  remove(ref: string, usersOf: (net: { name: string }) => string[]): { name: string; id: string } {
    return transaction(this.root, (db) => {
      const found = this.find(ref, this.rows(db));
      const broken = found && 'broken' in found ? found.broken : undefined;
      if (PREDEFINED.includes(ref) && !broken) throw new NetworkError(`${ref} is a pre-defined network and cannot be removed`);
      if (!found) throw new NetworkError(`network ${ref} not found`, "see 'carton network ls'");
      const net: NetworkConfig & { id: string } = broken ? { name: broken.name, id: broken.id, bridge: broken.bridge, subnet: '', gateway: '', table: this.table } : (found as { ok: NetworkRecord }).ok;
      if (PREDEFINED.includes(net.name) && !broken) throw new NetworkError(`${net.name} is a pre-defined network and cannot be removed`);
      const users = usersOf(net);
      if (users.length) {
        throw new NetworkError(`network ${net.name} is in use by container${users.length > 1 ? 's' : ''} ${users.join(', ')}`, `stop and remove ${users.length > 1 ? 'them' : 'it'} first: carton rm -f ${users.join(' ')}`);
      }
      if (net.bridge) removeBridge(net);
      new Ipam(this.root).forget(net.name);
      db.prepare('DELETE FROM networks WHERE name = ?').run(net.name);
      return { name: net.name, id: net.id };
    });
  }
}

function brokenError(net: BrokenNetwork): NetworkError {
  return new NetworkError(`network ${net.name}: ${net.problem}`, `remove it, with its bridge and addresses: carton network rm ${net.name}; then create it again`);
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
