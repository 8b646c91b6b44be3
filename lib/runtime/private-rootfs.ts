// Below chapter 05 there is no overlay yet, and a container must still never write into the
// image's layer, which every container of that image shares (a file touched at chapter 03
// would show up in every later container). So it runs in a private copy of the image's
// root, made at its first start under the container's own directory and removed with it:
// what overlayfs gives for free from chapter 05 on, done the slow way. `cp -a` keeps owners,
// modes, links and device nodes, which fs.cpSync does not all keep.
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { CartonError } from '../sys/index.js';
import type { ContainerRecord } from './state.js';
import { privateRootfsPath } from './container-spec.js';

export function privateRootfs(record: ContainerRecord): string {
  // --rootfs DIR names a directory of the user's to run in, as it is (Podman's --rootfs).
  const copy = privateRootfsPath(record);
  if (!record.imageId) return copy;
  if (existsSync(copy)) return copy;
  const partial = `${copy}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const cp = spawnSync('cp', ['-a', '--reflink=auto', '--', record.rootfs, partial], { encoding: 'utf8' });
  if (cp.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new CartonError(`copy the image's root for ${record.name}: ${cp.stderr.trim() || cp.error?.message}`, 'is the disk full? (below chapter 05 every container gets a copy of its image)');
  }
  renameSync(partial, copy);
  return copy;
}
