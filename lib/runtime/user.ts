// `-u user[:group]`, as Docker reads it: numbers are used as they are; names are looked up
// in the *container's* /etc/passwd and /etc/group, not the host's.
import { closeSync, readFileSync } from 'node:fs';
import * as sys from '../sys/index.js';
import { CartonError, q } from '../sys/index.js';

export interface User {
  uid: number;
  gid: number;
  groups: number[];
}

/**
 * Read `path` as the container would see it from `root`: every symlink and ".." resolved
 * inside root by the kernel (openat2 RESOLVE_IN_ROOT). The image, or a running container,
 * decides what /etc/passwd is: a link to /etc/shadow must not read the host's.
 */
function readInRoot(root: string, path: string): string | undefined {
  let rootFd: number;
  try {
    rootFd = sys.open(root, sys.O_PATH | sys.O_DIRECTORY | sys.O_CLOEXEC);
  } catch {
    return undefined;
  }
  try {
    const fd = sys.openat2(rootFd, path, sys.O_RDONLY | sys.O_CLOEXEC, sys.RESOLVE_IN_ROOT | sys.RESOLVE_NO_MAGICLINKS);
    try {
      return readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined; // missing (or not a file) in this root
  } finally {
    sys.close(rootFd);
  }
}

/** `roots`: a root directory, or an image's layers topmost first (the first that has the file wins). */
function lookup(roots: string | string[], file: 'passwd' | 'group', name: string): string[] | undefined {
  const text = [roots].flat().map((root) => readInRoot(root, `/etc/${file}`)).find((t) => t !== undefined);
  if (text === undefined) return undefined;
  return text.split('\n').map((l) => l.split(':')).find((fields) => fields[0] === name);
}

export function parseUser(spec: string, rootfs: string | string[]): User {
  const [userPart, groupPart] = spec.split(':', 2);
  let uid: number;
  let gid: number | undefined;
  if (/^\d+$/.test(userPart)) {
    uid = Number(userPart);
  } else {
    const entry = lookup(rootfs, 'passwd', userPart);
    if (!entry) throw new CartonError(`unable to find user ${q(userPart)}: no matching entries in the container's /etc/passwd`, 'use a numeric uid, e.g. -u 1000:1000');
    uid = Number(entry[2]);
    gid = Number(entry[3]);
  }
  if (groupPart !== undefined) {
    if (/^\d+$/.test(groupPart)) gid = Number(groupPart);
    else {
      const entry = lookup(rootfs, 'group', groupPart);
      if (!entry) throw new CartonError(`unable to find group ${q(groupPart)}: no matching entries in the container's /etc/group`, 'use a numeric gid');
      gid = Number(entry[2]);
    }
  }
  gid ??= 0;
  return { uid, gid, groups: [gid] };
}
