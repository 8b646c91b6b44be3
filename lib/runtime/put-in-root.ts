// Writing into a filesystem that is not ours to trust (an image's, a container's), for
// carton cp and carton build's COPY. Every directory is reached inside the root with chapter
// 09's targetInRoot (openat2 RESOLVE_IN_ROOT): a symlink there is followed as the container
// would follow it, never onto the host. A file is created beside its target O_EXCL|O_NOFOLLOW,
// so a link made meanwhile fails the open, changed only through its fd, and renamed over
// the target once complete.
import { chmodSync, chownSync, closeSync, fchmodSync, fchownSync, futimesSync, lchownSync, lstatSync, lutimesSync, openSync, readSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { posix } from 'node:path';
import * as sys from '../sys/index.js';
import type { chapter } from '../impl.js';

type Security = Awaited<ReturnType<typeof chapter.security>>;

/** What the new entry gets. */
export interface Owner {
  mode: number;
  uid: number;
  gid: number;
  atime: Date;
  mtime: Date;
}

/** The directory at `path` inside `root`, made if missing; with `owner`, its mode and owner set. */
export function putDirectory(security: Security, root: string, path: string, owner?: Pick<Owner, 'mode' | 'uid' | 'gid'>): void {
  const at = security.targetInRoot(root, path, 'dir');
  try {
    // at.path is /proc/self/fd/N, a magic link to the directory found: these follow it there.
    if (owner) {
      chmodSync(at.path, owner.mode);
      chownSync(at.path, owner.uid, owner.gid);
    }
  } finally {
    at.close();
  }
}

/**
 * A copy of the host file `from` (or a symlink to `link`) at `path` inside `root`. A directory
 * in the way is removed only with `replaceDirectory` (COPY replaces one; cp refuses, as the
 * removal then fails).
 */
export function putEntry(security: Security, root: string, path: string, source: { from: string } | { link: string }, owner: Owner, replaceDirectory: boolean): void {
  const parent = security.targetInRoot(root, posix.dirname(path), 'dir');
  // Made under a name of its own beside the target, then renamed over it: a copy that fails
  // half-way leaves the old entry as it was.
  const target = `${parent.path}/${posix.basename(path)}`;
  const scratch = `${parent.path}/.carton-cp-${process.pid}-${posix.basename(path)}`.slice(0, parent.path.length + 1 + 255);
  try {
    rmSync(scratch, { force: true });
    if ('link' in source) {
      symlinkSync(source.link, scratch);
      lchownSync(scratch, owner.uid, owner.gid);
      lutimesSync(scratch, owner.atime, owner.mtime);
    } else {
      const fd = openSync(scratch, sys.O_WRONLY | sys.O_CREAT | sys.O_EXCL | sys.O_NOFOLLOW | sys.O_CLOEXEC, 0o600);
      try {
        copyData(openSync(source.from, 'r'), fd);
        fchmodSync(fd, owner.mode);
        fchownSync(fd, owner.uid, owner.gid);
        futimesSync(fd, owner.atime, owner.mtime);
      } finally {
        closeSync(fd);
      }
    }
    // rename(2) replaces a file or a symlink, never a directory: one in the way goes first
    // only with `replaceDirectory` (else the rename fails, EISDIR, as cp's should).
    if (replaceDirectory && lstatOrNull(target)?.isDirectory()) rmSync(target, { recursive: true, force: true });
    renameSync(scratch, target);
  } catch (error) {
    rmSync(scratch, { force: true });
    // write(2) names no file: name the one in the container it was for.
    const errno = error as NodeJS.ErrnoException;
    if (errno.code && !errno.path) errno.path = path;
    throw error;
  } finally {
    parent.close();
  }
}

function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** Copy everything from `from` (closed after) to `to`. */
export function copyData(from: number, to: number): void {
  const buffer = Buffer.alloc(1 << 20);
  try {
    for (let n = readSync(from, buffer); n > 0; n = readSync(from, buffer)) sys.writeAll(to, buffer, n);
  } finally {
    closeSync(from);
  }
}
