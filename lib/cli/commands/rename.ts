import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import { findContainer, renameContainer } from '../../runtime/state.js';
import { chapterLevel } from '../../runtime/level.js';
import { chapter } from '../../impl.js';

export const rename: Command = {
  name: 'rename',
  summary: 'Rename a container',
  usage: 'CONTAINER NEW_NAME',
  flags: [],
  async run(_flags, operands) {
    requireOperands('rename', operands, 2, 'CONTAINER NEW_NAME', true);
    const record = findContainer(operands[0]);
    renameContainer(record.id, operands[1]);
    (await import('../../runtime/events.js')).containerEvent('rename', { ...record, name: operands[1] }, { oldName: `/${record.name}` });
    // A running container on a user-defined network is known there by name (chapter 06).
    if (record.status === 'running' && record.resources.network && chapterLevel() >= 6) {
      const [networking, { renameOnNetwork }] = await Promise.all([chapter.networking(), import('../../runtime/networks.js')]);
      renameOnNetwork(networking, record, operands[1]);
    }
    return 0;
  },
};
