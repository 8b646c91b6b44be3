// Chapter 09 — paths inside the container's root, resolved by the kernel so that they can
// never leave it. Before pivot_root the stage still sees the host's tree: a plain
// mkdir("<root>/etc/hosts") or mount(..., "<root>/data") follows the image's symlinks
// (etc -> /host/etc, data -> ../../../../root) onto the host. openat2(2) with
// RESOLVE_IN_ROOT resolves every symlink and ".." as if <root> were "/", and
// RESOLVE_NO_MAGICLINKS refuses /proc/self/... links. The mount then goes onto
// /proc/self/fd/N, the very file we opened: no second lookup that could be raced
// (runc's fix for CVE-2021-30465).
import { lstatSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';
import * as sys from '../../lib/sys/index.js';
import { CartonError } from '../../lib/sys/errors.js';

const IN_ROOT = sys.RESOLVE_IN_ROOT | sys.RESOLVE_NO_MAGICLINKS;

export interface Target {
  /** Where to mount: /proc/self/fd/N. */
  path: string;
  close(): void;
}

function errnoOf(error: unknown): string | undefined {
  return error instanceof sys.SyscallError ? sys.errnoName(error.errno) : undefined;
}

/**
 * Open (O_PATH) `path` inside `rootFd`, creating missing directories (and a missing final
 * file for kind "file"). A symlink that points at something missing is followed, inside the
 * root, and what it names is created there (runc does the same: images link
 * /etc/resolv.conf to /run/...).
 */
function openInRoot(rootFd: number, path: string, kind: 'dir' | 'file', depth = 0): number {
  if (depth > 40) throw new CartonError(`${path} in the container: too many levels of symbolic links`);
  const parts = path.split('/').filter((p) => p && p !== '.');
  let done = '';
  for (const [i, part] of parts.entries()) {
    const here = `${done}/${part}`;
    const last = i === parts.length - 1;
    const wantDir = !last || kind === 'dir';
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = sys.openat2(rootFd, here, sys.O_PATH | sys.O_CLOEXEC | (wantDir ? sys.O_DIRECTORY : 0), IN_ROOT);
        if (last) return fd;
        sys.close(fd);
        break;
      } catch (error) {
        if (errnoOf(error) !== 'ENOENT' || attempt > 0) throw error;
      }
      // Missing: create it in its parent, opened the same safe way. mkdirat never follows
      // a symlink in its last component; a dangling one makes it fail with EEXIST.
      const parent = sys.openat2(rootFd, done || '/', sys.O_PATH | sys.O_DIRECTORY | sys.O_CLOEXEC, IN_ROOT);
      let open = true;
      try {
        if (wantDir) sys.mkdirat(parent, part, 0o755);
        else sys.close(sys.openat2(parent, part, sys.O_CREAT | sys.O_EXCL | sys.O_WRONLY | sys.O_CLOEXEC, sys.RESOLVE_BENEATH | sys.RESOLVE_NO_SYMLINKS, 0o644));
      } catch (error) {
        if (errnoOf(error) !== 'EEXIST') throw error;
        // A dangling symlink: read it (through the parent we trust), and walk its target.
        const link = readlinkSync(`/proc/self/fd/${parent}/${part}`);
        const rest = parts.slice(i + 1).join('/');
        const next = posix.join(link.startsWith('/') ? link : `${done}/${link}`, rest);
        open = false;
        sys.close(parent); // before the walk below, which may reuse its number
        return openInRoot(rootFd, next, kind, depth + 1);
      } finally {
        if (open) sys.close(parent);
      }
    }
    done = here;
  }
  return sys.openat2(rootFd, '/', sys.O_PATH | sys.O_DIRECTORY | sys.O_CLOEXEC, IN_ROOT);
}

/** A mount target inside `root` (a host path carton made), created if missing, never outside it. */
export function targetInRoot(root: string, path: string, kind: 'dir' | 'file'): Target {
  const rootFd = sys.open(root, sys.O_PATH | sys.O_DIRECTORY | sys.O_CLOEXEC);
  try {
    const fd = openInRoot(rootFd, path, kind);
    return { path: `/proc/self/fd/${fd}`, close: () => sys.close(fd) };
  } finally {
    sys.close(rootFd);
  }
}

/**
 * /proc, /sys and /dev must be real directories of the image (runc refuses the same): the
 * stage mounts onto them by name, and a symlink there would aim those mounts elsewhere.
 */
export function requireRealDirectories(root: string, names = ['proc', 'sys', 'dev']): void {
  for (const name of names) {
    let stat;
    try {
      stat = lstatSync(join(root, name));
    } catch {
      targetInRoot(root, name, 'dir').close(); // missing: create it, safely
      continue;
    }
    if (!stat.isDirectory()) throw new CartonError(`the image's /${name} is ${stat.isSymbolicLink() ? 'a symlink' : 'not a directory'}: refusing to mount over it`, `/${name} must be an ordinary directory in the image`);
  }
}
