// The state lock: held by a living process, it waits; left empty (a writer killed between
// creating and writing it, as an older carton could be) or by a dead or reused pid, it is
// broken at once.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withLock } from '../../lib/sys/lock.js';
import { startTime } from '../../lib/sys/proc.js';
import { removeDir, tempDir } from '../helpers/index.js';

describe('withLock', () => {
  const dir = tempDir('carton-lock-');
  const lock = join(dir, '.lock');
  afterAll(() => removeDir(dir));

  it('runs the function holding the lock, which records pid and start time, then releases it', () => {
    const seen = withLock(lock, () => (existsSync(lock) ? readFileSync(lock, 'utf8') : ''));
    expect(seen).toBe(`${process.pid} ${startTime(process.pid)}`);
    expect(existsSync(lock)).toBe(false);
    expect(existsSync(`${lock}.${process.pid}.owner`)).toBe(false);
  });
  it('an empty lock, a dead owner, and a pid whose start time is another process\'s are broken at once', () => {
    for (const stale of ['', '999999999', `${process.pid} 1`]) {
      writeFileSync(lock, stale);
      expect(withLock(lock, () => 'got it', 200)).toBe('got it');
    }
  });
  it('a living owner is waited for, then named', () => {
    writeFileSync(lock, `${process.ppid} ${startTime(process.ppid)}`);
    expect(() => withLock(lock, () => 'never', 100)).toThrow(new RegExp(`held by pid ${process.ppid}`));
    removeDir(lock);
  });
});
