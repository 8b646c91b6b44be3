import type { Command } from '../command.js';
import { UsageError } from '../args.js';
import { reconcile } from '../../runtime/lifecycle.js';
import { waitContainer } from '../../runtime/control.js';
import { findContainer } from '../../runtime/state.js';

export const wait: Command = {
  name: 'wait',
  summary: 'Block until one or more containers stop, then print their exit codes',
  usage: 'CONTAINER [CONTAINER...]',
  flags: [],
  async run(_flags, operands) {
    if (operands.length === 0) throw new UsageError('"carton wait" requires at least 1 argument: CONTAINER', "See 'carton wait --help'.");
    reconcile();
    for (const ref of operands) process.stdout.write(`${await waitContainer(findContainer(ref).id)}\n`);
    return 0;
  },
};
