// `-u user[:group]`, as Docker reads it: numbers are used as they are; names are looked up
// in the *container's* /etc/passwd and /etc/group, not the host's.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CartonError, q } from '../sys/index.js';

export interface User {
  uid: number;
  gid: number;
  groups: number[];
}

/** `roots`: a root directory, or an image's layers topmost first (the first that has the file wins). */
function lookup(roots: string | string[], file: 'passwd' | 'group', name: string): string[] | undefined {
  const path = [roots].flat().map((root) => join(root, 'etc', file)).find((p) => existsSync(p));
  if (!path) return undefined;
  return readFileSync(path, 'utf8').split('\n').map((l) => l.split(':')).find((fields) => fields[0] === name);
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
