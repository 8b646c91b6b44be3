// carton pause / unpause: freeze every process of a container with the freezer (chapter 04).
import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import { reconcile } from '../../runtime/lifecycle.js';
import { findContainer } from '../../runtime/state.js';
import { setPaused } from '../../runtime/control.js';
import { eachContainer } from '../each.js';

function command(name: 'pause' | 'unpause'): Command {
  return {
    name,
    summary: name === 'pause' ? 'Pause all processes within one or more containers' : 'Unpause all processes within one or more containers',
    usage: 'CONTAINER [CONTAINER...]',
    flags: [],
    async run(_flags, operands) {
      requireOperands(name, operands, 1, 'CONTAINER');
      reconcile();
      return eachContainer(operands, (ref) => setPaused(findContainer(ref), name === 'pause'));
    },
  };
}

export const pause = command('pause');
export const unpause = command('unpause');
