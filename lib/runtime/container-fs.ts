// A container's whole filesystem, for `carton export`: its own layer (the overlay upper)
// stacked as the top lowerdir on its image's layers, in a fresh overlay of our own. The
// mount lives only while `use` runs, under the volatile state root, and is removed on every
// way out (a leftover would show in mountinfo and in the tests' leak check).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import * as sys from '../sys/index.js';
import { mountOverlay } from '../../solutions/05-overlayfs/overlay.js';
import { runRoot } from './paths.js';
import { containerLayer } from './start.js';
import type { ContainerRecord } from './state.js';

export async function withContainerRoot<T>(record: ContainerRecord, use: (root: string) => Promise<T>): Promise<T> {
  const { upper } = containerLayer(record.id);
  const lowers = existsSync(upper) ? [upper, ...record.layers] : record.layers;
  const dir = join(runRoot(), `view-${record.id.slice(0, 12)}-${randomBytes(3).toString('hex')}`);
  const target = join(dir, 'root');
  mkdirSync(target, { recursive: true });
  try {
    // A throwaway upper: nothing writes to it, and the container's own upper is only read.
    mountOverlay({ lowers, upper: join(dir, 'upper'), work: join(dir, 'work'), target });
    try {
      return await use(target);
    } finally {
      sys.umount2(target, sys.MNT_DETACH);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
