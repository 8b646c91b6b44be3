// The CLI's one way of printing an error: a red line naming the operation and the object
// (errno included), then a dimmed hint saying what to do next. chalk lives only in the CLI
// and the workbook, and is loaded only when there is something to colour: its import costs
// ~40 ms, which every successful `carton run` would otherwise pay.
import { accessSync, constants as fs, existsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname } from 'node:path';
import { getSystemErrorMessage } from 'node:util';
import { CartonError } from '../sys/errors.js';

/** errno codes that say something about the machine, with what to do about each. */
const ENVIRONMENT: Record<string, string> = {
  ENOSPC: 'the filesystem is full: free space on it (carton system df shows what carton holds; carton system prune, carton image prune, carton volume prune free it)',
  EDQUOT: 'a disk quota is exhausted: free space, or raise the quota',
  EROFS: 'the filesystem is mounted read-only: remount it read-write, or point CARTON_ROOT/CARTON_RUN elsewhere',
  EMFILE: 'too many open files in this process: raise the limit (ulimit -n)',
  ENFILE: 'too many open files on the machine: close some, or raise fs.file-max',
  EACCES: 'permission denied: carton needs root for this (sudo), or the file\'s permissions forbid it',
  EIO: 'an input/output error: the disk or the filesystem is failing (see dmesg)',
};

/**
 * Node's recursive mkdir reports ENOENT when a directory cannot be made on a read-only
 * filesystem (a plain mkdir(2) says EROFS): the real reason is asked of the nearest
 * directory that exists, with access(2), which does say EROFS (or EACCES).
 */
function realCause(errno: NodeJS.ErrnoException): NodeJS.ErrnoException {
  if (errno.code !== 'ENOENT' || errno.syscall !== 'mkdir' || !errno.path) return errno;
  let dir = errno.path;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    accessSync(dir, fs.W_OK);
    return errno;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && ENVIRONMENT[code] ? Object.assign(new Error(`${code}: ${(error as Error).message.replace(/^[A-Z]+: /, '')}`), { code, syscall: 'mkdir', path: errno.path }) : errno;
  }
}

export async function renderError(error: unknown): Promise<string> {
  const { default: chalk } = await import('chalk');
  if (error instanceof CartonError) {
    const hint = error.hint ? `\n${chalk.dim(`hint: ${error.hint}`)}` : '';
    return `${chalk.red(`carton: ${error.message}`)}${hint}\n`;
  }
  if (error instanceof Error && error.name === 'NotImplemented') {
    // The learner's exercise is still a stub (CARTON_IMPL=exercises): not a bug, a next step.
    return `${chalk.yellow(`carton: ${error.message.replace(/; run `npm start`.*$/, '')}`)}\n${chalk.dim('hint: run `npm start` for the lesson and a hint, or CARTON_CHAPTER=N to stop at the chapter you are on')}\n`;
  }
  // The system's own errors are not carton's bugs: a full disk, a quota, a read-only
  // filesystem, too many open files, a permission. One line: the operation, the file, the errno.
  const errno = error instanceof Error ? realCause(error as NodeJS.ErrnoException) : (error as NodeJS.ErrnoException);
  if (errno instanceof Error && typeof errno.code === 'string' && ENVIRONMENT[errno.code]) {
    const dest = (errno as { dest?: string }).dest;
    // spawnSync's syscall already names the program ("spawnSync /bin/busybox"): not twice.
    const path = errno.path && !errno.syscall?.endsWith(` ${errno.path}`) ? `\`${errno.path}\`` : undefined;
    const what = [errno.syscall, path, dest && `-> \`${dest}\``].filter(Boolean).join(' ');
    const number = constants.errno[errno.code as keyof typeof constants.errno];
    const words = number ? getSystemErrorMessage(-number).toLowerCase() : errno.message;
    return `${chalk.red(`carton: ${what || 'a system call'}: ${errno.code} (${words})`)}\n${chalk.dim(`hint: ${ENVIRONMENT[errno.code]}`)}\n`;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `${chalk.red(`carton: internal error: ${text}`)}\n${chalk.dim('hint: this is a bug in carton; please report it with the command you ran')}\n`;
}
