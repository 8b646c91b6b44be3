// The image store's lock: lib/sys/lock.ts's, made
// re-entrant within one process. stamp/startTime/isAlive identify a process by pid and start
// time (field 22 of /proc/PID/stat) for the store's leases and temporary files too.
import { readFileSync } from 'node:fs';
import { withLock } from '../../lib/sys/lock.js';

const GIVE_UP_MS = 120_000;
const held = new Map<string, number>(); // path → nesting depth in this process

function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function stamp(): string {
  return `${process.pid} ${startTime(process.pid) ?? '?'}\n`;
}

/**
 * Run `fn` holding the lock file at `path` (lib/sys/lock.ts: written whole with link(2), never
 * seen empty; a dead or reused-pid holder's lock broken at once); nested calls in one process
 * just run. A pull holds it only between its steps, so two minutes is a stuck process.
 */
export function withLockFile<T>(path: string, fn: () => T): T {
  const depth = held.get(path) ?? 0;
  if (depth > 0) {
    held.set(path, depth + 1);
    try {
      return fn();
    } finally {
      held.set(path, depth);
    }
  }
  return withLock(path, () => {
    held.set(path, 1);
    try {
      return fn();
    } finally {
      held.delete(path);
    }
  }, GIVE_UP_MS);
}

/** Is the process that wrote `pid start` (a stamp) still running? */
export function isAlive(pid: number, start?: string): boolean {
  const now = startTime(pid);
  return now !== undefined && (start === undefined || start === '?' || now === start);
}

export { stamp, startTime };
