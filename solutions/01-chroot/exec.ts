// Replacing the current process with the container's program: execve(2) needs a path, so
// we search PATH ourselves, as execvp(3) does, but with the *container's* PATH.
import { accessSync, constants, statSync } from 'node:fs';
import * as sys from '../../lib/sys/index.js';
import { CartonError, q } from '../../lib/sys/index.js';

/** An error on the way to exec, with the exit code Docker uses for it (126 or 127). */
export class ExecError extends CartonError {
  constructor(message: string, readonly exitCode: 126 | 127, hint?: string) {
    super(message, hint);
  }
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// #region lookPath
/**
 * Find `name` the way a shell does: a name with a slash is used as it is; otherwise each
 * directory of PATH is tried in order. Returns the first regular, executable file.
 * Throws ExecError 127 when nothing is found, 126 when a file is found but cannot run.
 */
export function lookPath(name: string, path: string = DEFAULT_PATH): string {
  const candidates = name.includes('/') ? [name] : path.split(':').map((dir) => `${dir || '.'}/${name}`);
  let denied: string | undefined;
  for (const candidate of candidates) {
    let isFile = false;
    try {
      isFile = statSync(candidate).isFile();
    } catch {
      continue;
    }
    if (!isFile) {
      denied ??= candidate;
      continue;
    }
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      denied ??= candidate;
    }
  }
  if (denied) throw new ExecError(`exec ${q(name)}: permission denied (${denied} is not an executable file)`, 126);
  throw new ExecError(`exec ${q(name)}: executable file not found in $PATH`, 127, `PATH is ${path}`);
}
// #endregion lookPath

// #region execProgram
/**
 * Replace this process with argv[0], found through the PATH in `env`. Before execve, the
 * standard fds must be made inheritable: Node sets FD_CLOEXEC (and maybe O_NONBLOCK) on
 * 0, 1 and 2 at start-up, and the new program would start with no stdio at all.
 */
export function execProgram(argv: string[], env: string[]): never {
  const pathVar = env.find((e) => e.startsWith('PATH='))?.slice(5) ?? DEFAULT_PATH;
  const file = lookPath(argv[0], pathVar);
  for (const fd of [0, 1, 2]) sys.makeInheritable(fd);
  try {
    return sys.execve(file, argv, env);
  } catch (error) {
    if (error instanceof sys.SyscallError && (error.code === 'ENOENT' || error.code === 'ENOEXEC')) {
      // The file exists but its ELF interpreter (or #! line) does not, or it is not a program.
      throw new ExecError(`exec ${q(file)}: ${error.code}`, error.code === 'ENOENT' ? 127 : 126, error.hint);
    }
    if (error instanceof sys.SyscallError) throw new ExecError(error.message, 126, error.hint);
    throw error;
  }
}
// #endregion execProgram
