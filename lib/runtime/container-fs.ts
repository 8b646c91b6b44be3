// A container's whole filesystem, for `carton export`: its own layer (the overlay upper)
// stacked as the top lowerdir on its image's layers, in a fresh overlay of our own. The
// mount lives only while `use` runs, under the volatile state root, and is removed on every
// way out: a thrown error, and process.exit too (`carton export CTR | head` ends on EPIPE
// through process.exit, where no finally block runs; 'exit' listeners do, synchronously).
// A process killed outright cannot clean up: its view's name carries its pid and start
// time, so `rm` of the container and `system prune` find the views nobody owns any more.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as sys from '../sys/index.js';
import { chapter } from '../impl.js';
import { runRoot } from './paths.js';
import { sameProcess, startTime } from '../sys/proc.js';
import { containerLayer } from './start.js';
import type { ContainerRecord } from './state.js';

const VIEW = /^view-([0-9a-f]{12})-(\d+)-(\d+)-\d+$/;
let views = 0;

function removeView(dir: string): void {
  try {
    sys.umount2(join(dir, 'root'), sys.MNT_DETACH);
  } catch {
    // not mounted (any more)
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Mount the container's whole filesystem while `use` runs: read-only over a throwaway upper
 * (export), or `writable`, with the container's own upper and work directories, so that what
 * `use` writes becomes the container's changes (carton build's COPY, later committed).
 */
export async function withContainerRoot<T>(record: ContainerRecord, use: (root: string) => Promise<T>, options: { writable?: boolean } = {}): Promise<T> {
  const { upper, work } = containerLayer(record.id);
  const lowers = existsSync(upper) && !options.writable ? [upper, ...record.layers] : [...record.layers];
  const dir = join(runRoot(), `view-${record.id.slice(0, 12)}-${process.pid}-${startTime(process.pid)}-${views++}`);
  const target = join(dir, 'root');
  mkdirSync(target, { recursive: true });
  const { mountOverlay } = await chapter.overlayfs(); // chapter 05's, the learner's with CARTON_IMPL=exercises
  const cleanUp = () => removeView(dir);
  process.on('exit', cleanUp);
  try {
    // An image of no layers (FROM scratch): overlayfs needs a lower directory, an empty one.
    if (lowers.length === 0) {
      mkdirSync(join(dir, 'empty'));
      lowers.push(join(dir, 'empty'));
    }
    if (options.writable) {
      mkdirSync(upper, { recursive: true });
      mkdirSync(work, { recursive: true });
      mountOverlay({ lowers, upper, work, target });
    } else {
      // A throwaway upper: nothing writes to it, and the container's own upper is only read.
      mountOverlay({ lowers, upper: join(dir, 'upper'), work: join(dir, 'work'), target });
    }
    return await use(target);
  } finally {
    process.off('exit', cleanUp);
    cleanUp();
  }
}

/** Unmount and remove the views whose process is gone (of container `id`, or of every container). */
export function removeStaleViews(id?: string): void {
  if (!existsSync(runRoot())) return;
  for (const name of readdirSync(runRoot())) {
    const m = VIEW.exec(name);
    if (!m || (id && m[1] !== id.slice(0, 12))) continue;
    if (!sameProcess(Number(m[2]), Number(m[3]))) removeView(join(runRoot(), name));
  }
}
