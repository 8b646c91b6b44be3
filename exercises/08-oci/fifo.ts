// Chapter 08 — exercise: the runtime's side of the create/start split, designed by you.
import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import { CartonError } from '../../lib/sys/index.js';
import * as sys from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';

/**
 * `carton oci start`: let the container's init, blocked writing one byte to the exec fifo
 * `fifo` since `create`, go on to execve the user's program; then remove the fifo. The init
 * may not have reached the fifo yet (it is still setting up: resolve once it has written), or
 * may have died on the way (initAlive() says so: then reject with a CartonError, and never wait
 * forever). Nothing here may block Node's event loop: an open or read that would wait must not.
 * man 7 fifo (O_NONBLOCK on a FIFO, and what read returns with and without a writer), man 2
 * open, man 2 read. The lesson's "Create, then start: the exec fifo" explains the protocol.
 */
export async function releaseInit(fifo: string, initAlive: () => boolean): Promise<void> {
  // TODO
  void [closeSync, openSync, readSync, rmSync, CartonError, sys, fifo, initAlive];
  return todo('releaseInit', 'exercises/08-oci/fifo.ts');
}
