// Chapter 02 — exercises: namespace flags, identities, and unshare. Read chapters/02-namespaces/README.md.
import * as sys from '../../lib/sys/index.js';
import { type NamespaceName } from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';

/**
 * The unshare(2) flag word for a list of namespace types: ['uts','net'] → CLONE_NEWUTS|CLONE_NEWNET.
 * Look each type up in sys.NAMESPACES; throw a sys.CartonError for an unknown type.
 */
export function cloneFlags(types: NamespaceName[]): number {
  // TODO: OR together the flags of the given types.
  void types;
  todo('cloneFlags', 'exercises/02-namespaces/namespaces.ts');
}

/**
 * The inode number of the namespace `pid` is in: readlink("/proc/<pid>/ns/<type>") gives
 * "uts:[4026531838]"; return 4026531838.
 */
export function namespaceId(pid: number | 'self', type: NamespaceName): number {
  // TODO: read the link, extract the number.
  void pid;
  void type;
  todo('namespaceId', 'exercises/02-namespaces/namespaces.ts');
}

/**
 * Move the calling thread into new namespaces of the given types with sys.unshare. Refuse
 * 'pid' and 'user' with a sys.CartonError whose message says "pid and user": from Node,
 * neither can be entered this way.
 */
export function unshareNamespaces(types: NamespaceName[]): void {
  // TODO: refuse pid and user, then unshare with cloneFlags(types) — your own, from above.
  void sys;
  void types;
  todo('unshareNamespaces', 'exercises/02-namespaces/namespaces.ts');
}
