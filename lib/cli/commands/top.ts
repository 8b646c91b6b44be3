// carton top: the container's processes, as the host's ps shows them (docker top does the
// same): ps with the given options, limited to the container's PID namespace.
import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import * as engine from '../../runtime/engine.js';
import { findContainer } from '../../runtime/state.js';
import { top as containerTop } from '../../runtime/top.js';
import { CartonError } from '../../sys/index.js';

export const top: Command = {
  name: 'top',
  summary: 'Display the running processes of a container',
  usage: 'CONTAINER [ps OPTIONS]',
  stopAtOperand: true,
  flags: [],
  async run(_flags, operands) {
    requireOperands('top', operands, 1, 'CONTAINER');
    await engine.recover();
    const record = findContainer(operands[0]);
    if (record.status !== 'running' || !record.pid) throw new CartonError(`container ${record.name} is not running`);
    process.stdout.write(containerTop(record.pid, operands.slice(1)));
    return 0;
  },
};
