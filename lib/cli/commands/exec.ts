// carton exec: run a command in a running container.
import type { Command } from '../command.js';
import { requireOperands, UsageError } from '../args.js';
import * as engine from '../../runtime/engine.js';
import { requireRoot } from '../privileges.js';
import { envList, envMap, setEnv } from '../env.js';

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
    await engine.recover();
    const record = engine.find(operands[0]);
    // The container's environment, then -e on top, by the same rules as `carton run -e`.
    const merged = envMap(record.env);
    for (const entry of (flags.env as string[] | undefined) ?? []) setEnv(merged, entry, '--env');
    const env = envList(merged);
    const tty = !!flags.tty;
    const detach = !!flags.detach;
    if (detach && (tty || flags.interactive)) throw new UsageError('exec -d runs the command in the background, with no terminal or input: drop -t and -i');
    if (tty) env.push(`TERM=${process.env.TERM || 'xterm'}`);
    return engine.exec(record, { argv: operands.slice(1), env, cwd: flags.workdir as string | undefined, user: flags.user as string | undefined, tty, interactive: !!flags.interactive, detach });
  },
};
