// carton exec: run a command in a running container.
import type { Command } from '../command.js';
import { requireOperands, UsageError } from '../args.js';
import { reconcile } from '../../runtime/lifecycle.js';
import { execIn } from '../../runtime/exec.js';
import { findContainer } from '../../runtime/state.js';
import { parseUser } from '../../runtime/user.js';
import { requireRoot } from '../privileges.js';
import { envList, envMap, setEnv } from '../env.js';
import { attachTerminal, openPty, settled, terminalRoot } from '../../runtime/pty.js';
import { exitStatus } from '../../runtime/lifecycle.js';
import { CartonError } from '../../sys/index.js';
import { closeSync, fchownSync } from 'node:fs';
import { chapterLevel } from '../../runtime/level.js';
import { stageSecurity } from '../../runtime/start.js';

export const exec: Command = {
  name: 'exec',
  summary: 'Execute a command in a running container',
  usage: '[OPTIONS] CONTAINER COMMAND [ARG...]',
  stopAtOperand: true,
  flags: [
    { name: 'detach', short: 'd', kind: 'bool', description: 'Detached mode: run command in the background' },
    { name: 'interactive', short: 'i', kind: 'bool', description: 'Keep STDIN open' },
    { name: 'tty', short: 't', kind: 'bool', description: 'Allocate a pseudo-TTY' },
    { name: 'env', short: 'e', kind: 'list', description: 'Set environment variables' },
    { name: 'workdir', short: 'w', kind: 'string', value: 'dir', description: 'Working directory inside the container' },
    { name: 'user', short: 'u', kind: 'string', value: 'string', description: 'Username or UID (format: <name|uid>[:<group|gid>])' },
  ],
  async run(flags, operands) {
    requireOperands('exec', operands, 2, 'CONTAINER COMMAND');
    requireRoot('exec');
    reconcile();
    const record = findContainer(operands[0]);
    if (record.status === 'paused') throw new CartonError(`container ${record.name} is paused`, `unpause it first: carton unpause ${record.name}`);
    if (record.status !== 'running' || !record.pid) throw new CartonError(`container ${record.name} is not running`, `start it first; see 'carton ps -a'`);
    // The container's environment, then -e on top, by the same rules as `carton run -e`.
    const merged = envMap(record.env);
    for (const entry of (flags.env as string[] | undefined) ?? []) setEnv(merged, entry, '--env');
    const env = envList(merged);
    const tty = !!flags.tty;
    const detach = !!flags.detach;
    if (detach && (tty || flags.interactive)) throw new UsageError('exec -d runs the command in the background, with no terminal or input: drop -t and -i');
    if (tty) env.push(`TERM=${process.env.TERM || 'xterm'}`);
    const user = flags.user ? parseUser(flags.user as string, `/proc/${record.pid}/root`) : record.user;
    // A terminal of the container's own devpts, so that it is /dev/pts/N inside too.
    const pty = tty ? openPty(terminalRoot(record.pid)) : undefined;
    const stdin = flags.interactive ? 'inherit' : 'ignore';
    const level = chapterLevel();
    // The slave belongs to root, mode 0620: give it to -u's user, as runc does.
    if (pty && user) fchownSync(pty.slave, user.uid, -1);
    const { child, started } = execIn({
      pid: record.pid, argv: operands.slice(1), env, cwd: (flags.workdir as string | undefined) ?? record.cwd, user, tty,
      security: await stageSecurity(record, level),
    }, pty ? [pty.slave, pty.slave, pty.slave] : detach ? ['ignore', 'ignore', 'ignore'] : [stdin, 'inherit', 'inherit']);
    if (detach) {
      // Started (or not): the command goes on in the container, its output discarded, as Docker's.
      const failure = await started;
      if (failure) throw Object.assign(new CartonError(failure.error, failure.hint), { exitCode: failure.exitCode });
      child.unref();
      return 0;
    }
    let restore = () => {};
    let drained: Promise<void> = Promise.resolve();
    if (pty) {
      closeSync(pty.slave);
      drained = new Promise((resolve) => (restore = attachTerminal(pty, resolve)));
    }
    const result = await new Promise<[number | null, NodeJS.Signals | null] | Error>((resolve) => {
      child.on('error', resolve);
      child.on('exit', (c, s) => resolve([c, s]));
    });
    const failure = await started;
    await settled(drained);
    restore();
    if (failure) throw Object.assign(new CartonError(failure.error, failure.hint), { exitCode: failure.exitCode });
    if (result instanceof Error) {
      const code = (result as NodeJS.ErrnoException).code;
      throw Object.assign(new CartonError(`exec ${operands[1]}: ${code === 'ENOENT' ? 'executable file not found in $PATH' : code}`), { exitCode: code === 'ENOENT' ? 127 : 126 });
    }
    return exitStatus(result);
  },
};
