// The CLI's one way of printing an error: a red line naming the operation and the object
// (errno included), then a dimmed hint saying what to do next. chalk lives only in the CLI
// and the workbook, and is loaded only when there is something to colour: its import costs
// ~40 ms, which every successful `carton run` would otherwise pay.
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
  const errno = error as NodeJS.ErrnoException;
  if (errno instanceof Error && typeof errno.code === 'string' && ENVIRONMENT[errno.code]) {
    const dest = (errno as { dest?: string }).dest;
    const what = [errno.syscall, errno.path && `\`${errno.path}\``, dest && `-> \`${dest}\``].filter(Boolean).join(' ');
    return `${chalk.red(`carton: ${what || 'a system call'}: ${errno.code} (${errno.message.replace(/^[A-Z]+: /, '').replace(/, .*$/, '')})`)}\n${chalk.dim(`hint: ${ENVIRONMENT[errno.code]}`)}\n`;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `${chalk.red(`carton: internal error: ${text}`)}\n${chalk.dim('hint: this is a bug in carton; please report it with the command you ran')}\n`;
}
