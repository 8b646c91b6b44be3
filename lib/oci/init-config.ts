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
  /** The exec fifo on the host, opened before pivot_root. */
  fifo: string;
  /** process.terminal: the unix socket that gets the pty's master (--console-socket). */
  consoleSocket?: string;
  /** The compiled linux.seccomp (base64), compiled by create on the host. */
  seccomp?: string;
  /** For a "cgroup" mount: the container's directory in each hierarchy, by mount name. */
  cgroupDirs: Record<string, string>;
  /** The state, as create knows it (the init's host pid): what the createContainer and startContainer hooks read. Comes with go. */
  state?: State;
}

export type InitMessage = { ready: true } | { created: true } | { error: string; hint?: string; exitCode: number };
