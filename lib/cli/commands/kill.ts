import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import { reconcile } from '../../runtime/lifecycle.js';
import { signalContainer } from '../../runtime/control.js';
import { findContainer } from '../../runtime/state.js';
import { eachContainer } from '../each.js';

export const kill: Command = {
  name: 'kill',
  summary: 'Kill one or more running containers',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  flags: [{ name: 'signal', short: 's', kind: 'string', value: 'string', description: 'Signal to send to the container (default "KILL")' }],
  async run(flags, operands) {
    requireOperands('kill', operands, 1, 'CONTAINER');
    reconcile();
    return eachContainer(operands, async (ref) => signalContainer(findContainer(ref), (flags.signal as string | undefined) ?? 'KILL'));
  },
};
