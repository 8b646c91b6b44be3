import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import { reconcile } from '../../runtime/lifecycle.js';
import { waitContainer } from '../../runtime/control.js';
import { findContainer } from '../../runtime/state.js';

export const wait: Command = {
  name: 'wait',
  summary: 'Block until one or more containers stop, then print their exit codes',
  usage: 'CONTAINER [CONTAINER...]',
  flags: [],
  async run(_flags, operands) {
    requireOperands('wait', operands, 1, 'CONTAINER');
    reconcile();
    for (const ref of operands) process.stdout.write(`${await waitContainer(findContainer(ref).id)}\n`);
    return 0;
  },
};
