// A lock file shared by every carton process: created with O_EXCL (atomic on local file
// systems), holding the owner's pid so that a lock left by a killed process is recognised
// and broken. Synchronous on purpose: the critical sections are a few small file writes.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { CartonError, q } from '../sys/index.js';
import { sameProcess } from './proc.js';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Run `fn` while holding the lock at `path`. */
export function withLock<T>(path: string, fn: () => T, timeoutMs = 10_000): T {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner = NaN;
      try {
        owner = Number(readFileSync(path, 'utf8'));
      } catch {
        continue; // released meanwhile
      }
      if (owner && !sameProcess(owner, undefined)) {
        rmSync(path, { force: true }); // its owner died holding it
        continue;
      }
      if (Date.now() > deadline) throw new CartonError(`lock ${q(path)}: held by pid ${owner} for more than ${timeoutMs / 1000} s`, 'another carton command is stuck; if no carton is running, remove the lock file');
      Atomics.wait(pause, 0, 0, wait);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(path, { force: true });
  }
}
