import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import * as engine from '../../runtime/engine.js';
import { eachContainer } from '../each.js';

export const kill: Command = {
  name: 'kill',
  summary: 'Kill one or more running containers',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  flags: [{ name: 'signal', short: 's', kind: 'string', value: 'string', description: 'Signal to send to the container (default "KILL")' }],
  async run(flags, operands) {
    requireOperands('kill', operands, 1, 'CONTAINER');
    await engine.recover();
    return eachContainer(operands, async (ref) => engine.kill(engine.find(ref), (flags.signal as string | undefined) ?? 'KILL'));
  },
};
