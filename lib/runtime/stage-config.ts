// What the carton process tells the container's first process (the stage) over the sync
// socket (fd 3), and what the stage answers. One JSON object per line:
//   carton → stage   {config}                  the container to become
//   stage  → carton  {"ready": true}           namespaces created (level ≥ 2)
//   carton → stage   {"go": true}              cgroups and network are in place
//   stage  → carton  {"error": ...}            failed before execve
//   (EOF)                                      execve succeeded: fd 3 was close-on-exec
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
  user?: { uid: number; gid: number; groups: number[] };
  /** Run tini (opened from the host before pivot_root) as PID 1 around the command. */
  init?: string;
  /** Set up a controlling terminal on stdin (it is a pty slave). */
  tty: boolean;
}

/** Stage → carton. */
export type StageMessage = { ready: true } | StageFailure;

export interface StageFailure {
  error: string;
  hint?: string;
  exitCode: number;
}

export const SYNC_FD = 3;
