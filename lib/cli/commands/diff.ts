// carton diff: what a container changed, read from its overlay's upper layer (chapter 05).
import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import { chapter } from '../../impl.js';
import { containerLayer } from '../../runtime/state.js';
import { findContainer } from '../../runtime/state.js';
import { existsSync } from 'node:fs';

export const diff: Command = {
  name: 'diff',
  summary: 'Inspect changes to files or directories on a container\'s filesystem',
  usage: 'CONTAINER',
  flags: [],
  details: 'A  a file or directory was added\nC  a file or directory was changed\nD  a file or directory was deleted',
  async run(_flags, operands) {
    requireOperands('diff', operands, 1, 'CONTAINER', true);
    const record = findContainer(operands[0]);
    const { upper } = containerLayer(record.id);
    if (!existsSync(upper)) return 0; // never started, or started before chapter 05
    const overlayfs = await chapter.overlayfs();
    for (const change of overlayfs.diffUpper(upper, record.layers)) process.stdout.write(`${change.kind} ${change.path}\n`);
    return 0;
  },
};
