// IP address management. Docker's daemon keeps allocations in memory; carton has no daemon,
// so every `carton run` is a separate process that reads and writes a small JSON file per
// network. Two runs starting at the same moment must not both take 10.88.0.2, so each
// read-modify-write happens under an exclusive lock (lib/sys/lock.ts): a file that names its
// holder's pid and start time, so a lock left by a process that died (kill -9) is broken.
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { withLock } from '../../lib/sys/lock.js';
import { readJsonFile } from '../../lib/sys/json.js';
import { join } from 'node:path';
import { nextFreeAddress } from './addr.js';
import { NetworkError } from './run.js';

export interface Allocation {
  owner: string;
  address: string;
  /** Names that resolve to this address on the network (container name, aliases). */
  names: string[];
}

interface NetworkState {
  subnet: string;
  allocations: Allocation[];
}

// The lock: lib/sys/lock.ts, shared with the runtime's state and the image store.
export { withLock };

export class Ipam {
  // `next` picks a free address: exercises/ passes the learner's nextFreeAddress.
  constructor(
    private readonly stateDir: string,
    private readonly next: (subnet: string, used: string[]) => string | null = nextFreeAddress,
  ) {}

  private file(network: string): string {
    return join(this.stateDir, `${network}.json`);
  }

  private read(network: string): NetworkState | undefined {
    const file = this.file(network);
    return existsSync(file) ? readJsonFile<NetworkState>(file, `the address allocations of network ${network}`, 'remove it once the network\'s containers are stopped: carton gives out its addresses afresh') : undefined;
  }

  // Write a new file and rename it over the old one, so a crash never leaves half a file.
  private write(network: string, state: NetworkState): void {
    const file = this.file(network);
    if (state.allocations.length === 0) return rmSync(file, { force: true });
    writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(state, null, 2) + '\n');
    renameSync(`${file}.${process.pid}.tmp`, file);
  }

  private locked<T>(network: string, work: () => T): T {
    mkdirSync(this.stateDir, { recursive: true });
    return withLock(join(this.stateDir, `${network}.lock`), work);
  }

  /**
   * An address of `subnet` for `owner` (the same one again if it already has one).
   * `reserved` addresses are never given out (a gateway chosen with --gateway). `wanted` is
   * the one asked for (run --ip); else the next free one of `range` (network create
   * --ip-range), or of the subnet.
   */
  allocate(network: string, subnet: string, owner: string, names: string[] = [], reserved: string[] = [], wanted?: string, range?: string): string {
    return this.locked(network, () => {
      const state = this.read(network) ?? { subnet, allocations: [] };
      const mine = state.allocations.find((a) => a.owner === owner);
      if (mine) return mine.address;
      const taken = [...reserved, ...state.allocations.map((a) => a.address)];
      if (wanted !== undefined) {
        const holder = state.allocations.find((a) => a.address === wanted);
        if (holder || reserved.includes(wanted)) throw new NetworkError(`address ${wanted} is already in use on network ${network}${holder ? ` (by container ${holder.owner.slice(0, 12)})` : ''}`, 'choose another --ip, or leave it out to get a free one');
        state.allocations.push({ owner, address: wanted, names });
        this.write(network, state);
        return wanted;
      }
      const address = this.next(range ?? state.subnet, taken);
      if (!address) throw new NetworkError(`network ${network} (${state.subnet}) is full`, 'remove stopped containers, or create a network with a larger subnet');
      state.allocations.push({ owner, address, names });
      this.write(network, state);
      return address;
    });
  }

  release(network: string, owner: string): void {
    this.locked(network, () => {
      const state = this.read(network);
      if (!state) return;
      state.allocations = state.allocations.filter((a) => a.owner !== owner);
      this.write(network, state);
    });
  }

  /** Give `owner`'s allocation new names (`carton rename`); false if it has none here. */
  rename(network: string, owner: string, names: string[]): boolean {
    return this.locked(network, () => {
      const state = this.read(network);
      const mine = state?.allocations.find((a) => a.owner === owner);
      if (!state || !mine) return false;
      mine.names = names;
      this.write(network, state);
      return true;
    });
  }

  list(network: string): Allocation[] {
    return this.read(network)?.allocations ?? [];
  }

  /**
   * Run `work` with the network's allocations, holding the network's lock: no container can
   * join or leave meanwhile, so what `work` writes from them (the containers' /etc/hosts)
   * is never overwritten by a run that read an older list.
   */
  hold<T>(network: string, work: (allocations: Allocation[]) => T): T {
    return this.locked(network, () => work(this.list(network)));
  }

  /** Forget a network's allocations altogether (`carton network rm`). */
  forget(network: string): void {
    this.locked(network, () => rmSync(this.file(network), { force: true }));
  }
}
