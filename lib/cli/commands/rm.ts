import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import * as engine from '../../runtime/engine.js';
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
    await engine.recover();
    return eachContainer(operands, async (ref) => engine.remove(engine.find(ref), { force: !!flags.force, volumes: !!flags.volumes }));
  },
};
