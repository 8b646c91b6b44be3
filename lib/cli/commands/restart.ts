import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import * as engine from '../../runtime/engine.js';
import { eachContainer } from '../each.js';
import { requireRoot } from '../privileges.js';

export const restart: Command = {
  name: 'restart',
  summary: 'Restart one or more containers',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  flags: [{ name: 'time', short: 't', kind: 'string', value: 'int', description: 'Seconds to wait before killing the container (default 10)' }],
  async run(flags, operands) {
    requireOperands('restart', operands, 1, 'CONTAINER');
    requireRoot('restart');
    await engine.recover();
    const timeout = flags.time === undefined ? undefined : Number(flags.time); // the container's --stop-timeout, or 10
    return eachContainer(operands, (ref) => engine.restart(engine.find(ref), timeout));
  },
};
