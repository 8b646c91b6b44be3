// IP address management. Docker's daemon keeps allocations in memory; carton has no daemon,
// so every `carton run` is a separate process that reads and writes a small JSON file per
// network. Two runs starting at the same moment must not both take 10.88.0.2, so each
// read-modify-write happens under an exclusive lock. The lock is a directory: mkdir either
// creates it or fails with EEXIST, atomically, on every filesystem. The holder writes its
// pid inside, so a lock left by a process that died (kill -9) is detected and broken.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
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

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(sleeper, 0, 0, ms);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// #region lock
export function withLock<T>(lock: string, work: () => T): T {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = 0;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // the holder has not written its pid yet, or just released the lock
      }
      if (holder && !alive(holder)) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new NetworkError(`cannot lock ${lock}`, `process ${holder} holds it; remove the directory if that process is stuck`);
      else sleep(5 + Math.random() * 10);
    }
  }
  try {
    writeFileSync(join(lock, 'pid'), String(process.pid));
    return work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
// #endregion lock

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
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as NetworkState) : undefined;
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
   * `reserved` addresses are never given out (a gateway chosen with --gateway).
   */
  allocate(network: string, subnet: string, owner: string, names: string[] = [], reserved: string[] = []): string {
    return this.locked(network, () => {
      const state = this.read(network) ?? { subnet, allocations: [] };
      const mine = state.allocations.find((a) => a.owner === owner);
      if (mine) return mine.address;
      const address = this.next(state.subnet, [...reserved, ...state.allocations.map((a) => a.address)]);
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
