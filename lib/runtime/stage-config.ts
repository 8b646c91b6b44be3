// What the carton process tells the container's first process (the stage) over the sync
// socket (fd 3), and what the stage answers. One JSON object per line:
//   carton → stage   {config}                  the container to become
//   stage  → carton  {"ready": true}           namespaces created (level ≥ 2)
//   carton → stage   {"go": true}              cgroups and network are in place
//   stage  → carton  {"devpts": true}          -t: my /dev/pts is in place, give me a terminal
//   carton → stage   {"tty": "/dev/pts/N"}     allocated there (through /proc/<pid>/root):
//                                              the stage opens it as stdio and controlling tty
//   stage  → carton  {"error": ...}            failed before execve
//   (EOF)                                      execve succeeded: fd 3 was close-on-exec
import type { SecurityConfig } from '../../solutions/09-security/apply.js';
import type { User } from './user.js';

export interface StageConfig {
  /** Highest chapter whose features this container uses (CARTON_CHAPTER; default: all). */
  level: number;
  rootfs: string;
  argv: string[];
  env: string[];
  cwd: string;
  hostname: string;
  /** Files bind-mounted into the container: /etc/hostname, /etc/hosts, /etc/resolv.conf. */
  etcFiles: Record<string, string>;
  user?: User;
  /** Run tini (opened from the host before pivot_root) as PID 1 around the command. */
  init?: string;
  /** Ask carton for a terminal in the container's devpts (-t), and make it stdio and ctty. */
  tty: boolean;
  /** Chapter 05: the container's root is an overlay of these, mounted at target. */
  overlay?: { lowers: string[]; upper: string; work: string; target: string };
  /** Chapter 05: volumes and bind mounts (source is a host path), and tmpfs mounts. */
  mounts: Array<{ type: 'bind' | 'tmpfs'; source: string; target: string; readOnly: boolean; options?: string }>;
  /** Chapter 06: a network namespace of its own (false with --network host). */
  netns: boolean;
  /** Chapter 06, --network none: bring its lo up itself, with an ioctl (nothing else is configured). */
  loopbackUp?: boolean;
  /** Chapter 05: mount the root filesystem read-only (--read-only). */
  readOnly: boolean;
  /** Chapter 09: what the container may do (capabilities, no_new_privs, seccomp). */
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
