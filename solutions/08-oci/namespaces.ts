// Chapter 08 — linux.namespaces: each entry is a namespace the container gets, new unless it
// has a path, in which case the container joins the namespace that path names (setns(2) on
// an open /proc/<pid>/ns/<type>, as `ip netns` or a Kubernetes pod's sandbox provide).
// A type that is not listed is shared with the runtime: no "network" entry means the
// host's network. The spec's names are not the kernel's: network is net, mount is mnt.
import { CartonError, type NamespaceName } from '../../lib/sys/index.js';
import type { Namespace, NamespaceType } from './spec.js';

export interface NamespacePlan {
  /** New namespaces for the init to unshare, in chapter 02's names (never pid: see below). */
  unshare: NamespaceName[];
  /** Existing namespaces to join, before anything is unshared. */
  join: Array<{ type: NamespaceName; path: string }>;
  /** pid: a new PID namespace is made by the parent, which spawns the init as its PID 1… */
  newPid: boolean;
  /** …or joins this one for the spawn. */
  pidPath?: string;
  /** user: made for the spawn (its maps written by the parent), as pid… */
  newUser?: boolean;
  /** …or joined for the spawn. */
  userPath?: string;
}

const KERNEL_NAMES: Partial<Record<NamespaceType, NamespaceName>> = {
  pid: 'pid', network: 'net', mount: 'mnt', ipc: 'ipc', uts: 'uts', cgroup: 'cgroup', user: 'user',
};

// #region namespacePlan
/**
 * What the init must do for the spec's namespaces. The cgroup namespace is unshared last, by
 * the init, after it has been put in its cgroup, so it is listed apart by the caller. A user
 * namespace is, like pid, the parent's to make or join: unshare(CLONE_NEWUSER) and setns
 * into one fail in a process with threads (Node has several), so single-threaded util-linux
 * programs do it for the spawn (chapter 09). time namespaces are refused.
 */
export function namespacePlan(namespaces: Namespace[] = []): NamespacePlan {
  const plan: NamespacePlan = { unshare: [], join: [], newPid: false };
  for (const ns of namespaces) {
    const type = KERNEL_NAMES[ns.type];
    if (!type) throw new CartonError(`linux.namespaces: ${ns.type} namespaces are not supported by carton`, 'remove the entry from config.json');
    if (type === 'pid') {
      if (ns.path) plan.pidPath = ns.path;
      else plan.newPid = true;
    } else if (type === 'user') {
      if (ns.path) plan.userPath = ns.path;
      else plan.newUser = true;
    } else if (ns.path) plan.join.push({ type, path: ns.path });
    else plan.unshare.push(type);
  }
  return plan;
}
// #endregion namespacePlan
