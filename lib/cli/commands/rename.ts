import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import { findContainer, renameContainer } from '../../runtime/state.js';

export const rename: Command = {
  name: 'rename',
  summary: 'Rename a container',
  usage: 'CONTAINER NEW_NAME',
  flags: [],
  async run(_flags, operands) {
    requireOperands('rename', operands, 2, 'CONTAINER NEW_NAME', true);
    renameContainer(findContainer(operands[0]).id, operands[1]);
    return 0;
  },
};
