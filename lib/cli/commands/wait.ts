import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import * as engine from '../../runtime/engine.js';

export const wait: Command = {
  name: 'wait',
  summary: 'Block until one or more containers stop, then print their exit codes',
  usage: 'CONTAINER [CONTAINER...]',
  flags: [],
  async run(_flags, operands) {
    requireOperands('wait', operands, 1, 'CONTAINER');
    await engine.recover();
    for (const ref of operands) process.stdout.write(`${await engine.wait(engine.find(ref))}\n`);
    return 0;
  },
};
