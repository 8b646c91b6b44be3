// Chapter 01 — exercises: find the program in PATH, then replace this process with it.
import * as sys from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';
import { ExecError } from '../../solutions/01-chroot/exec.js';

export { ExecError };

/**
 * Find `name` the way a shell does: a name with a slash is used as it is; otherwise each
 * directory of `path` (colon-separated) is tried in order. Return the first regular,
 * executable file. Throw `new ExecError(message, 127)` when nothing is found, and
 * `new ExecError(message, 126)` when a file is found but is not executable.
 * Tools: fs.statSync(p).isFile(), fs.accessSync(p, fs.constants.X_OK).
 */
export function lookPath(name: string, path: string = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'): string {
  // TODO: search `path` for `name`.
  todo('lookPath', 'exercises/01-chroot/exec.ts');
}

/**
 * Replace this process with argv[0], found through the PATH variable of `env` (your lookPath),
 * so that the program keeps this process's stdin, stdout and stderr — which Node opened
 * close-on-exec (man 2 execve, "File descriptors"). sys.execve only returns by throwing.
 */
export function execProgram(argv: string[], env: string[]): never {
  // TODO: look up argv[0], make stdio inheritable, execve.
  void sys;
  todo('execProgram', 'exercises/01-chroot/exec.ts');
}
