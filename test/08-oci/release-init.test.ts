// releaseInit: the runtime's side of the exec fifo (chapter 08's exercise), with a real FIFO
// and real writer processes standing in for the container's init.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { releaseInit } from '@impl/08-oci/index.js';
import * as sys from '../../lib/sys/index.js';
import { collect, removeDir, tempDir } from '../helpers/index.js';

describe('releaseInit', () => {
  const dir = tempDir('carton-fifo-');
  const inits: ChildProcess[] = [];
  afterAll(() => {
    for (const child of inits) if (child.exitCode === null) child.kill('SIGKILL'); // left blocked by a release that never came
    removeDir(dir);
  });
  let n = 0;
  const fifo = () => {
    const path = join(dir, `exec-${n++}.fifo`);
    sys.mkfifo(path, 0o600);
    return path;
  };
  // An "init": opens the fifo for writing (blocking until a reader opens it), writes one byte.
  const init = (path: string, delay: number) => {
    const child = spawn('sh', ['-c', `sleep ${delay}; printf x > '${path}'; echo released`], { stdio: ['ignore', 'pipe', 'pipe'] });
    inits.push(child);
    return child;
  };

  it('lets an init that is already waiting go on, and removes the fifo', async () => {
    const path = fifo();
    const child = init(path, 0);
    const done = collect(child);
    await new Promise((r) => setTimeout(r, 200)); // it now blocks in open(2)
    await releaseInit(path, () => child.exitCode === null);
    expect(await done).toMatchObject({ status: 0, stdout: 'released\n' });
    expect(existsSync(path)).toBe(false);
  });

  it('waits for an init still setting up, without blocking the event loop', async () => {
    const path = fifo();
    const child = init(path, 0.5);
    const done = collect(child);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    try {
      await releaseInit(path, () => child.exitCode === null);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(5); // timers ran while it waited: nothing blocked
    expect((await done).stdout).toBe('released\n');
    expect(existsSync(path)).toBe(false);
  });

  it('rejects with a CartonError, without waiting forever, when the init is gone', async () => {
    const path = fifo();
    await expect(releaseInit(path, () => false)).rejects.toBeInstanceOf(sys.CartonError);
  });
});
