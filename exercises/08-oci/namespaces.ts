// Chapter 08 — exercise: linux.namespaces, read into what the init must do.
import { todo } from '../../lib/todo.js';
import type { Namespace } from '../../solutions/08-oci/spec.js';
import type { NamespacePlan } from '../../solutions/08-oci/namespaces.js';
export type { NamespacePlan } from '../../solutions/08-oci/namespaces.js';

/**
 * For each entry: the spec's type in chapter 02's name (network → net, mount → mnt; pid,
 * ipc, uts, cgroup and user keep theirs). pid is special: newPid when it has no path, pidPath
 * when it has one; so is user: newUser or userPath. Any other type goes to `join` (with its
 * path) or `unshare` (without). time is refused with a CartonError that names it.
 */
export function namespacePlan(namespaces: Namespace[] = []): NamespacePlan {
  // TODO: start from { unshare: [], join: [], newPid: false } and fill it in
  void namespaces;
  todo('namespacePlan', 'exercises/08-oci/namespaces.ts');
}
