// How overlayfs records deletions in the upper layer, and how OCI layers spell the same:
//   deleted file  overlay: a character device 0:0 of the same name   OCI: an empty `.wh.<name>`
//   opaque dir    overlay: xattr trusted.overlay.opaque="y"          OCI: `<dir>/.wh..wh..opq`
// An opaque directory hides everything of the same name in the lower layers.
import { chmodSync, lstatSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as sys from '../../lib/sys/index.js';

export const OPAQUE_XATTR = 'trusted.overlay.opaque';
export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

/** Is this lstat result an overlay whiteout (a character device with device number 0:0)? */
export function isWhiteout(stats: Stats): boolean {
  return stats.isCharacterDevice() && stats.rdev === 0;
}

/** Create an overlay whiteout at `path`. */
export function makeWhiteout(path: string): void {
  sys.mknod(path, sys.S_IFCHR | 0o000, sys.makedev(0, 0));
  chmodSync(path, 0o000);
}

/**
 * The same mark as overlayfs reads it when mounted inside a user namespace (`userxattr`,
 * chapter 09's --userns=private): unprivileged, it may not use trusted.* xattrs.
 */
export const USER_OPAQUE_XATTR = 'user.overlay.opaque';

/** Is the directory at `path` opaque (trusted.overlay.opaque or user.overlay.opaque = "y")? */
export function isOpaque(path: string): boolean {
  return sys.lgetxattr(path, OPAQUE_XATTR)?.toString() === 'y' || sys.lgetxattr(path, USER_OPAQUE_XATTR)?.toString() === 'y';
}

/** Mark a directory opaque for both kinds of overlay mount. */
export function makeOpaque(path: string): void {
  sys.lsetxattr(path, OPAQUE_XATTR, Buffer.from('y'));
  sys.lsetxattr(path, USER_OPAQUE_XATTR, Buffer.from('y'));
}

// #region ociWhiteoutName
/** The OCI name for a deletion of `path`: "a/b/c" → "a/b/.wh.c". */
export function ociWhiteoutName(path: string): string {
  const dir = dirname(path);
  const name = WHITEOUT_PREFIX + basename(path);
  return dir === '.' ? name : join(dir, name);
}
// #endregion ociWhiteoutName

/** Stat without following symlinks; null when the path does not exist. */
export function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw e;
  }
}
