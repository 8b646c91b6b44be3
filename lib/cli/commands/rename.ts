import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import { findContainer } from '../../runtime/state.js';
import { renameEverywhere } from '../../runtime/rename.js';

export const rename: Command = {
  name: 'rename',
  summary: 'Rename a container',
  usage: 'CONTAINER NEW_NAME',
  flags: [],
  async run(_flags, operands) {
    requireOperands('rename', operands, 2, 'CONTAINER NEW_NAME', true);
    const record = findContainer(operands[0]);
    await renameEverywhere(record, operands[1]);
    (await import('../../runtime/events.js')).containerEvent('rename', { ...record, name: operands[1] }, { oldName: `/${record.name}` });
    return 0;
  },
};
