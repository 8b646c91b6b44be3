// A lock file shared by every carton process, holding its owner's pid and start time, so that
// a lock left by a killed process (or by one whose pid has been reused since) is recognised
// and broken. The file is never seen empty: the owner writes it under a name of its own and
// link(2)s it to the lock's name, which fails (EEXIST) if the lock is held, atomically. An
// open(O_EXCL) then write would leave an empty lock, held "by pid 0" for ever, if the writer
// were killed in between (carton is, in the crash tests). Synchronous on purpose: the
// critical sections are a few small file writes. Used by chapter 07's image store, whose
// index.json is part of an OCI image layout (other tools read it) and so stays a file;
// carton's other records are in the state database (state-db.ts), which needs no lock file.
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { CartonError, q } from './errors.js';
import { sameProcess, startTime } from './proc.js';

const pause = new Int32Array(new SharedArrayBuffer(4));

// #region lock
/**
 * Remove the stale lock whose text was `seen`. Not by unlinking the name: between reading it
 * and unlinking, the stale lock may have been broken by another process and a fresh one taken,
 * which we would remove. Renamed aside first, it is checked: someone else's fresh lock goes back.
 */
function breakStale(path: string, seen: string): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return; // gone meanwhile
  }
  try {
    if (readFileSync(aside, 'utf8') !== seen) linkSync(aside, path);
  } catch {
    // taken again meanwhile: its owner has it
  } finally {
    rmSync(aside, { force: true });
  }
}

/** Run `fn` while holding the lock at `path`. */
export function withLock<T>(path: string, fn: () => T, timeoutMs = 10_000): T {
  const deadline = Date.now() + timeoutMs;
  const mine = `${path}.${process.pid}.owner`;
  try {
    writeFileSync(mine, `${process.pid} ${startTime(process.pid)}`);
    for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
      try {
        linkSync(mine, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        let text: string;
        try {
          text = readFileSync(path, 'utf8');
        } catch {
          continue; // released meanwhile
        }
        const [owner, started] = text.trim().split(' ').map(Number);
        // An owner that is gone (or a pid reused by another process) holds nothing; so does an
        // empty lock, which only an older carton's open-then-write could have left.
        if (!owner || !sameProcess(owner, Number.isFinite(started) ? started : undefined)) {
          breakStale(path, text);
          continue;
        }
        if (Date.now() > deadline) throw new CartonError(`lock ${q(path)}: held by pid ${owner} for more than ${timeoutMs / 1000} s`, 'another carton command is stuck; if no carton is running, remove the lock file');
        Atomics.wait(pause, 0, 0, wait);
      }
    }
  } finally {
    rmSync(mine, { force: true });
  }
  try {
    return fn();
  } finally {
    rmSync(path, { force: true });
  }
}
// #endregion lock
