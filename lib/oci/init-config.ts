// What `carton oci create` tells the container's init over the sync socket (fd 3), and the
// messages back. One JSON object per line:
//   create → init   {config}             the bundle's spec, resolved
//   init → create   {"ready": true}      namespaces made: put me in my cgroup, run the createRuntime hooks
//   create → init   {"go": true, cgroupDirs, state}
//   init → create   {"created": true}    all set up; I wait on the exec fifo for `start`
//   init → create   {"error": ...}       failed before that
import type { Spec, State } from '../../solutions/08-oci/spec.js';

export interface InitConfig {
  id: string;
  spec: Spec;
  /** The root filesystem, resolved against the bundle. */
  rootfs: string;
  /** process.terminal: the init has the console socket (--console-socket), connected by create, as CONSOLE_FD. */
  console?: boolean;
  /** The compiled linux.seccomp (base64), compiled by create on the host. */
  seccomp?: string;
  /** For a "cgroup" mount: the container's directory in each hierarchy, by mount name. */
  cgroupDirs: Record<string, string>;
  /** The init was spawned in a user namespace of the spec's (as its root): devices are bound from the host's /dev, not made. */
  userns?: boolean;
  /** The state, as create knows it (the init's host pid): what the createContainer and startContainer hooks read. Comes with go. */
  state?: State;
}

/**
 * The descriptors create hands the init beside the sync socket, as runc hands its init the
 * exec fifo and the console socket: opened by create, so that an init in a user namespace
 * (whose root is nobody on the host) needs no right to the paths of runc's state directory
 * or of the socket.
 */
export const FIFO_FD = 4; // the exec fifo, O_PATH
export const CONSOLE_FD = 5; // the console socket, connected

export type InitMessage = { ready: true } | { created: true } | { error: string; hint?: string; exitCode: number };
