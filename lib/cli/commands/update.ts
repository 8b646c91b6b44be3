// carton update: new limits for containers, running or not (docker update): written into the
// running ones' cgroups at once (chapter 04), and kept for their next start; --restart too.
import type { Command } from '../command.js';
import { requireOperands, UsageError } from '../args.js';
import { chapter } from '../../impl.js';
import * as engine from '../../runtime/engine.js';
import { eachContainer } from '../each.js';
import { parseRestart } from './run.js';

export const update: Command = {
  name: 'update',
  summary: 'Update configuration of one or more containers',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  flags: [
    { name: 'memory', short: 'm', kind: 'string', value: 'bytes', description: 'Memory limit' },
    { name: 'memory-swap', kind: 'string', value: 'bytes', description: 'Swap limit equal to memory plus swap: -1 to enable unlimited swap' },
    { name: 'cpus', kind: 'string', value: 'decimal', description: 'Number of CPUs' },
    { name: 'cpu-shares', short: 'c', kind: 'string', value: 'int', description: 'CPU shares (relative weight)' },
    { name: 'pids-limit', kind: 'string', value: 'int', description: 'Tune container pids limit (-1 for unlimited)' },
    { name: 'cpuset-cpus', kind: 'string', value: 'string', description: 'CPUs in which to allow execution (0-3, 0,1)' },
    { name: 'restart', kind: 'string', value: 'string', description: 'Restart policy to apply when a container exits' },
  ],
  async run(flags, operands) {
    requireOperands('update', operands, 1, 'CONTAINER');
    const str = (name: string) => flags[name] as string | undefined;
    const cgroups = await chapter.cgroups();
    const limits = cgroups.parseLimits({ memory: str('memory'), memorySwap: str('memory-swap'), cpus: str('cpus'), cpuShares: str('cpu-shares'), pidsLimit: str('pids-limit'), cpusetCpus: str('cpuset-cpus') });
    const restart = flags.restart === undefined ? undefined : parseRestart(str('restart'));
    if (!Object.keys(limits).length && !restart) throw Object.assign(new UsageError('you must provide one or more flags when using this command'), { exitCode: 1 });
    await engine.recover();
    return eachContainer(operands, (ref) => engine.update(engine.find(ref), limits as Record<string, number | string | undefined>, restart));
  },
};
