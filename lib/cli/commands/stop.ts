import type { Command } from '../command.js';
import { requireOperands, UsageError } from '../args.js';
import * as engine from '../../runtime/engine.js';
import { eachContainer } from '../each.js';

export const stop: Command = {
  name: 'stop',
  summary: 'Stop one or more running containers',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  flags: [{ name: 'time', short: 't', kind: 'string', value: 'int', description: 'Seconds to wait before killing the container (default 10)' }],
  async run(flags, operands) {
    requireOperands('stop', operands, 1, 'CONTAINER');
    const timeout = flags.time === undefined ? undefined : Number(flags.time); // undefined: the container's --stop-timeout, or 10
    if (timeout !== undefined && (!Number.isFinite(timeout) || timeout < 0)) throw new UsageError(`invalid --time value "${flags.time}": a number of seconds`);
    await engine.recover();
    return eachContainer(operands, async (ref) => engine.stop(engine.find(ref), timeout));
  },
};
