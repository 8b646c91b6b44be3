// Until chapter 07 brings the image store, an image is a root filesystem directory under
// $CARTON_ROOT/images/<name>/rootfs. The default image, carton/busybox, is built on demand
// from the host's static busybox, so carton works offline from the first command.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CartonError, q } from '../sys/index.js';
import { makeRootfs } from '../../solutions/01-chroot/rootfs.js';
import { cartonRoot } from './paths.js';

export const DEFAULT_IMAGE = 'carton/busybox';

/** Accept the usual spellings of the default image. */
function canonical(ref: string): string {
  const name = ref.replace(/^docker\.io\//, '').replace(/:latest$/, '');
  return name === 'busybox' ? DEFAULT_IMAGE : name;
}

function imageDir(ref: string, root: string): string {
  return join(root, 'images', canonical(ref));
}

/**
 * Build the default image if it is not there yet. Built in a temporary directory and
 * renamed into place, so that a crash or a concurrent build never leaves half an image.
 */
export function ensureDefaultImage(root = cartonRoot()): string {
  const dir = imageDir(DEFAULT_IMAGE, root);
  const rootfs = join(dir, 'rootfs');
  if (existsSync(rootfs)) return rootfs;
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.rootfs-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    makeRootfs(tmp);
    renameSync(tmp, rootfs);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(rootfs)) return rootfs; // another carton built it at the same time
    throw error;
  }
  return rootfs;
}

/** The root filesystem of an image, building the default image when needed. */
export function imageRootfs(ref: string, root = cartonRoot()): string {
  if (canonical(ref) === DEFAULT_IMAGE) return ensureDefaultImage(root);
  const rootfs = join(imageDir(ref, root), 'rootfs');
  if (existsSync(rootfs)) return rootfs;
  throw new CartonError(`unable to find image ${q(ref)}`, `carton has only ${DEFAULT_IMAGE} until it can pull images; or run a directory with --rootfs DIR`);
}
