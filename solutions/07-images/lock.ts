// A lock file shared by processes: whoever creates it with O_EXCL holds it. It records the
// holder's pid and start time (field 22 of /proc/PID/stat), so a lock left by a process
// that died is recognised, even if its pid was reused, and broken.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { CartonError, q } from '../../lib/sys/index.js';

const WAIT_MS = 20;
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

/** The holder recorded in a lock file is gone (or the file is gone or unreadable). */
function isStale(path: string): boolean {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return false; // vanished: just try again
  }
  const [pid, start] = text.trim().split(' ');
  if (!/^\d+$/.test(pid)) return text.length > 0; // an empty file may be a holder still writing
  const now = startTime(Number(pid));
  return now === undefined || (start !== '?' && now !== start);
}

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, stamp());
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Break a dead holder's lock; a second lock file makes sure only one process breaks it. */
function breakStale(path: string): void {
  const guard = `${path}.break`;
  if (!tryCreate(guard)) {
    if (isStale(guard)) unlinkSync(guard);
    return;
  }
  try {
    if (isStale(path)) unlinkSync(path);
  } finally {
    unlinkSync(guard);
  }
}

/** Run `fn` holding the lock file at `path`; nested calls in one process just run. */
export function withLockFile<T>(path: string, fn: () => T): T {
  const depth = held.get(path) ?? 0;
  if (depth === 0) {
    let waited = 0;
    while (!tryCreate(path)) {
      if (isStale(path)) breakStale(path);
      else if (waited > GIVE_UP_MS) {
        throw new CartonError(`lock ${q(path)}: held by another process for ${GIVE_UP_MS / 1000} s`, `see the pid in ${path}; remove the file if that process is stuck`);
      } else {
        sleep(WAIT_MS);
        waited += WAIT_MS;
      }
    }
  }
  held.set(path, depth + 1);
  try {
    return fn();
  } finally {
    held.set(path, depth);
    if (depth === 0) {
      held.delete(path);
      unlinkSync(path);
    }
  }
}

/** Is the process that wrote `pid start` (a stamp) still running? */
export function isAlive(pid: number, start?: string): boolean {
  const now = startTime(pid);
  return now !== undefined && (start === undefined || start === '?' || now === start);
}

export { stamp, startTime };
