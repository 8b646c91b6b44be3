// Chapter 02: a namespace wraps one kind of global resource so that the processes inside see
// their own instance of it: their own pid numbers, hostname, mount table, network stack...
// See `man 7 namespaces`. A process's namespaces are the files in /proc/<pid>/ns/: two
// processes share a namespace exactly when those files show the same inode.
import { readlinkSync } from 'node:fs';
import * as sys from '../../lib/sys/index.js';
import { NAMESPACES, type NamespaceName } from '../../lib/sys/index.js';

// #region cloneFlags
/** The clone(2)/unshare(2) flag word for a list of namespace types: ['uts','net'] → CLONE_NEWUTS|CLONE_NEWNET. */
export function cloneFlags(types: NamespaceName[]): number {
  let flags = 0;
  for (const type of types) {
    const flag = NAMESPACES[type];
    if (flag === undefined) throw new sys.CartonError(`unknown namespace type ${sys.q(type)}`, `one of: ${Object.keys(NAMESPACES).join(', ')}`);
    flags |= flag;
  }
  return flags;
}
// #endregion cloneFlags

// #region namespaceId
/** The namespace a process is in, as the kernel names it: "uts:[4026531838]" → 4026531838. */
export function namespaceId(pid: number | 'self', type: NamespaceName): number {
  const link = readlinkSync(`/proc/${pid}/ns/${type}`);
  const match = /^\w+:\[(\d+)\]$/.exec(link);
  if (!match) throw new sys.CartonError(`unexpected namespace link ${sys.q(link)} for /proc/${pid}/ns/${type}`);
  return Number(match[1]);
}
// #endregion namespaceId

// #region unshareNamespaces
/**
 * Move the calling thread into new namespaces of the given types. From Node, mind what
 * "calling thread" means: mnt, uts, ipc, net and cgroup change for the main thread only
 * (libuv's pool threads stay behind: use synchronous calls afterwards); pid never applies to
 * the caller itself, only to children spawned later; user fails with EINVAL because the
 * process has several threads. So this function refuses pid and user.
 */
export function unshareNamespaces(types: NamespaceName[]): void {
  if (types.includes('pid') || types.includes('user')) {
    throw new sys.CartonError('unshareNamespaces: pid and user namespaces cannot be entered this way from Node', 'use spawnInPidNamespace for pid; user namespaces need a single-threaded helper');
  }
  sys.unshare(cloneFlags(types));
}
// #endregion unshareNamespaces
