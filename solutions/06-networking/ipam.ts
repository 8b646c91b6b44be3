// IP address management. Docker's daemon keeps allocations in memory; carton has no daemon,
// so every `carton run` is a separate process, and the allocations live in carton's state
// database (lib/sys/state-db.ts, SQLite): one row per container and network. Two runs
// starting at the same moment must not both take 10.88.0.2: each allocation is one write
// transaction (BEGIN IMMEDIATE: the second run waits until the first commits, then sees its
// address), and the table's UNIQUE (network, address) refuses a duplicate even so. A run
// killed half-way leaves the last committed state, never half a list.
import type { DatabaseSync } from 'node:sqlite';
import { reading, transaction } from '../../lib/sys/state-db.js';
import { nextFreeAddress } from './addr.js';
import { NetworkError } from './run.js';

export interface Allocation {
  owner: string;
  address: string;
  /** Names that resolve to this address on the network (container name, aliases). */
  names: string[];
}

/**
 * Called in the transaction that allocates: what else must be written with the address, all
 * or nothing (the runtime records it in the container's record).
 */
export type OnAllocate = (network: string, owner: string, address: string) => void;

interface Row {
  owner: string;
  address: string;
  names: string;
}

function listIn(db: DatabaseSync, network: string): Allocation[] {
  const rows = db.prepare('SELECT owner, address, names FROM allocations WHERE network = ? ORDER BY rowid').all(network) as unknown as Row[];
  return rows.map((r) => ({ owner: r.owner, address: r.address, names: namesOf(r.names) }));
}

function namesOf(text: string): string[] {
  try {
    const names = JSON.parse(text) as unknown;
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return []; // a damaged list of names: the address still counts as taken
  }
}

export class Ipam {
  // `root`: the state root holding state.db. `onAllocate` runs inside the allocation's
  // transaction. `next` picks a free address: exercises/ passes the learner's nextFreeAddress.
  constructor(
    private readonly root: string,
    private readonly onAllocate?: OnAllocate,
    private readonly next: (subnet: string, used: string[]) => string | null = nextFreeAddress,
  ) {}

  /**
   * An address of `subnet` for `owner` (the same one again if it already has one).
   * `reserved` addresses are never given out (a gateway chosen with --gateway). `wanted` is
   * the one asked for (run --ip); else the next free one of `range` (network create
   * --ip-range), or of the subnet.
   */
  allocate(network: string, subnet: string, owner: string, names: string[] = [], reserved: string[] = [], wanted?: string, range?: string): string {
    return transaction(this.root, (db) => {
      const allocations = listIn(db, network);
      const mine = allocations.find((a) => a.owner === owner);
      if (mine) return mine.address;
      let address: string | null;
      if (wanted !== undefined) {
        const holder = allocations.find((a) => a.address === wanted);
        if (holder || reserved.includes(wanted)) throw new NetworkError(`address ${wanted} is already in use on network ${network}${holder ? ` (by container ${holder.owner.slice(0, 12)})` : ''}`, 'choose another --ip, or leave it out to get a free one');
        address = wanted;
      } else {
        address = this.next(range ?? subnet, [...reserved, ...allocations.map((a) => a.address)]);
        if (!address) throw new NetworkError(`network ${network} (${subnet}) is full`, 'remove stopped containers, or create a network with a larger subnet');
      }
      db.prepare('INSERT INTO allocations (network, owner, address, names) VALUES (?, ?, ?, ?)').run(network, owner, address, JSON.stringify(names));
      this.onAllocate?.(network, owner, address);
      return address;
    });
  }

  release(network: string, owner: string): void {
    transaction(this.root, (db) => db.prepare('DELETE FROM allocations WHERE network = ? AND owner = ?').run(network, owner));
  }

  /** Give `owner`'s allocation new names (`carton rename`); false if it has none here. */
  rename(network: string, owner: string, names: string[]): boolean {
    return transaction(this.root, (db) => db.prepare('UPDATE allocations SET names = ? WHERE network = ? AND owner = ?').run(JSON.stringify(names), network, owner).changes > 0);
  }

  list(network: string): Allocation[] {
    return reading(this.root, [], (db) => listIn(db, network));
  }

  /** Every network on which `owner` holds an address, in the order it got them. */
  heldBy(owner: string): Array<{ network: string; address: string }> {
    return reading(this.root, [], (db) => db.prepare('SELECT network, address FROM allocations WHERE owner = ? ORDER BY rowid').all(owner) as unknown as Array<{ network: string; address: string }>);
  }

  /**
   * Run `work` with the network's allocations, in one write transaction: no container can
   * join or leave meanwhile, so what `work` writes from them (the containers' /etc/hosts)
   * is never overwritten by a run that read an older list.
   */
  hold<T>(network: string, work: (allocations: Allocation[]) => T): T {
    return transaction(this.root, (db) => work(listIn(db, network)));
  }

  /** Forget a network's allocations altogether (`carton network rm`). */
  forget(network: string): void {
    transaction(this.root, (db) => db.prepare('DELETE FROM allocations WHERE network = ?').run(network));
  }
}
