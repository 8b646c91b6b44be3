// What the carton process tells the container's first process (the stage) over the sync
// socket (fd 3), and what the stage answers. One JSON object per line.
export interface StageConfig {
  /** Highest chapter whose features this container uses (CARTON_CHAPTER; default: all). */
  level: number;
  rootfs: string;
  argv: string[];
  env: string[];
  cwd: string;
}

/** Stage → carton: the stage failed before execve. */
export interface StageFailure {
  error: string;
  hint?: string;
  exitCode: number;
}

export const SYNC_FD = 3;
