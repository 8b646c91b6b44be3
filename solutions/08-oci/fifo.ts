// Chapter 08 — the runtime's side of the create/start split: `create` leaves the container's
// init blocked writing one byte to the exec fifo; `start` reads it, and the init goes on to
// execve the user's program.
import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import { CartonError } from '../../lib/sys/index.js';
import * as sys from '../../lib/sys/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// #region releaseInit
export async function releaseInit(fifo: string, initAlive: () => boolean): Promise<void> {
  // Non-blocking: if the init died, there is no writer, and a blocking open would wait forever.
  const fd = openSync(fifo, sys.O_RDONLY | sys.O_NONBLOCK);
  try {
    const byte = Buffer.alloc(1);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, byte, 0, 1, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        n = -1; // a writer, but no byte yet
      }
      if (n === 1) break;
      // EOF (no writer yet: the init is still setting up) or EAGAIN: unless the init is gone, wait.
      if (!initAlive()) throw new CartonError(`cannot start the container: its init exited`);
      await sleep(2);
    }
  } finally {
    closeSync(fd);
  }
  rmSync(fifo, { force: true });
}
// #endregion releaseInit
