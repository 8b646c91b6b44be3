import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import { reconcile, removeContainer } from '../../runtime/lifecycle.js';
import { findContainer } from '../../runtime/state.js';
import { eachContainer } from '../each.js';

export const rm: Command = {
  name: 'rm',
  summary: 'Remove one or more containers',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  flags: [
    { name: 'force', short: 'f', kind: 'bool', description: 'Force the removal of a running container (uses SIGKILL)' },
    { name: 'volumes', short: 'v', kind: 'bool', description: 'Remove anonymous volumes associated with the container' },
  ],
  async run(flags, operands) {
    requireOperands('rm', operands, 1, 'CONTAINER');
    reconcile();
    return eachContainer(operands, async (ref) => removeContainer(findContainer(ref), !!flags.force, !!flags.volumes));
  },
};
