// carton pause / unpause: freeze every process of a container with the freezer (chapter 04).
import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import { chapter } from '../../impl.js';
import { reconcile } from '../../runtime/lifecycle.js';
import { findContainer, updateContainer } from '../../runtime/state.js';
import { CartonError } from '../../sys/index.js';
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
      const cgroups = (await chapter.cgroups()).openCgroups();
      return eachContainer(operands, async (ref) => {
        const record = findContainer(ref);
        const wanted = name === 'pause' ? 'running' : 'paused';
        if (record.status !== wanted) throw new CartonError(`container ${record.name} is not ${wanted}`);
        const cgroup = cgroups.open(record.id);
        if (!cgroup.freeze || !cgroup.thaw) throw new CartonError(`${name}: this machine's cgroups have no freezer`, 'see `carton doctor`');
        if (name === 'pause') cgroup.freeze();
        else cgroup.thaw();
        updateContainer(record.id, (r) => (r.status = name === 'pause' ? 'paused' : 'running'));
        (await import('../../runtime/events.js')).containerEvent(name, record);
      });
    },
  };
}

export const pause = command('pause');
export const unpause = command('unpause');
