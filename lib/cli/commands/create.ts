import type { Command } from '../command.js';
import { createFromFlags, run } from './run.js';

export const create: Command = {
  name: 'create',
  summary: 'Create a new container, without starting it',
  usage: '[OPTIONS] IMAGE|--rootfs DIR [COMMAND] [ARG...]',
  stopAtOperand: true,
  flags: run.flags.filter((f) => f.name !== 'detach'),
  async run(flags, operands) {
    process.stdout.write((await createFromFlags('create', flags, operands)).id + '\n');
    return 0;
  },
};
