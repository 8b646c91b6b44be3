// What the carton process tells the container's first process (the stage) over the sync
// socket (fd 3), and what the stage answers. One JSON object per line:
//   carton → stage   {config}                  the container to become
//   stage  → carton  {"ready": true}           namespaces created (level ≥ 2): the stage goes on
//                                              to make its filesystem meanwhile
//   carton → stage   {"go": true}              cgroups and network are in place: the stage
//                                              unshares its cgroup namespace and execs
//   stage  → carton  {"devpts": true}          -t: my /dev/pts is in place, give me a terminal
//   carton → stage   {"tty": "/dev/pts/N"}     allocated there (through /proc/<pid>/root):
//                                              the stage opens it as stdio and controlling tty
//   stage  → carton  {"error": ...}            failed before execve
//   (EOF)                                      execve succeeded: fd 3 was close-on-exec
import type { SecurityConfig } from '../../solutions/09-security/apply.js';
import type { Spec } from '../../solutions/08-oci/spec.js';

/**
 * The container to become: its OCI runtime spec (container-spec.ts; also written as
 * config.json into its bundle, the run directory), and what the spec has no field for.
 */
export interface StageConfig {
  /** Highest chapter whose features this container uses (CARTON_CHAPTER; default: all). */
  level: number;
  /**
   * The process (args, env, cwd, user, terminal), the root (its path, read-only), the
   * hostname, the mounts (Docker's, the /etc files, the volumes: the stage makes Docker's
   * itself, chapter 03's way, and binds the rest) and the namespaces.
   */
  spec: Spec;
  /** Chapter 05: the root is an overlay of these, mounted at spec.root.path. */
  overlay?: { lowers: string[]; upper: string; work: string };
  /** --init: run tini (this host path, opened before pivot_root) as PID 1 around process.args. */
  init?: string;
  /** Chapter 06, --network none: bring its lo up itself, with an ioctl (nothing else is configured). */
  loopbackUp?: boolean;
  /** Chapter 09: what the container may do (capabilities, no_new_privs, the compiled seccomp filter). */
  security?: StageSecurity;
  /**
   * Chapter 09, --userns=private: the stage runs in a user namespace carton has mapped. It
   * becomes that namespace's root first; the overlay's lowers are idmapped copies of the
   * layers, mounted with `userxattr`; devices are bound from the host's /dev (no mknod in a
   * user namespace).
   */
  userns?: boolean;
}

/** What chapter 09's policy decided (capabilities, no_new_privs, the compiled filter), and: */
export interface StageSecurity extends SecurityConfig {
  /** --privileged: /sys read-write, nothing masked. */
  privileged: boolean;
  /** No devices cgroup on this machine: mount the root nodev, so image device nodes stay inert. */
  nodev: boolean;
}

/** Stage → carton. */
export type StageMessage = { ready: true } | { devpts: true } | StageFailure;

/** carton → stage, the answer to {devpts}. */
export interface TerminalMessage {
  tty: string;
}

export interface StageFailure {
  error: string;
  hint?: string;
  exitCode: number;
}

export const SYNC_FD = 3;
