import type { Command } from '../command.js';
import { UsageError } from '../args.js';
import { findContainer, renameContainer } from '../../runtime/state.js';

export const rename: Command = {
  name: 'rename',
  summary: 'Rename a container',
  usage: 'CONTAINER NEW_NAME',
  flags: [],
  async run(_flags, operands) {
    if (operands.length !== 2) throw new UsageError('"carton rename" requires exactly 2 arguments: CONTAINER NEW_NAME', "See 'carton rename --help'.");
    renameContainer(findContainer(operands[0]).id, operands[1]);
    return 0;
  },
};
