// carton pause / unpause: freeze every process of a container with the freezer (chapter 04).
import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import * as engine from '../../runtime/engine.js';
import { eachContainer } from '../each.js';

function command(name: 'pause' | 'unpause'): Command {
  return {
    name,
    summary: name === 'pause' ? 'Pause all processes within one or more containers' : 'Unpause all processes within one or more containers',
    usage: 'CONTAINER [CONTAINER...]',
    flags: [],
    async run(_flags, operands) {
      requireOperands(name, operands, 1, 'CONTAINER');
      await engine.recover();
      return eachContainer(operands, (ref) => (name === 'pause' ? engine.pause : engine.resume)(engine.find(ref)));
    },
  };
}

export const pause = command('pause');
export const unpause = command('unpause');
