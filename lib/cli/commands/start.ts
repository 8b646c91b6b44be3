import type { Command } from '../command.js';
import { requireOperands, UsageError } from '../args.js';
import { reconcile } from '../../runtime/lifecycle.js';
import { chapterLevel } from '../../runtime/level.js';
import { runAttached, runDetached } from '../../runtime/run.js';
import { findContainer } from '../../runtime/state.js';
import { readyToStart } from '../../runtime/control.js';
import { requireRoot } from '../privileges.js';

export const start: Command = {
  name: 'start',
  summary: 'Start one or more stopped containers',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  flags: [
    { name: 'attach', short: 'a', kind: 'bool', description: 'Attach STDOUT/STDERR and forward signals' },
    { name: 'interactive', short: 'i', kind: 'bool', description: 'Attach container\'s STDIN' },
  ],
  async run(flags, operands) {
    requireOperands('start', operands, 1, 'CONTAINER');
    if (flags.attach && operands.length > 1) throw new UsageError('you cannot start and attach multiple containers at once');
    requireRoot('start');
    reconcile();
    const level = chapterLevel();
    for (const ref of operands) {
      let record = findContainer(ref);
      if ((record.status === 'running' || record.status === 'paused') && flags.attach && record.detached) {
        // start -a of a running detached container attaches to it, as Docker's does.
        const { attach } = await import('./attach.js');
        return attach.run(flags.interactive ? {} : { 'no-stdin': true }, [record.id]);
      }
      const ready = readyToStart(record, !!flags.interactive);
      if (!ready) continue;
      record = ready;
      if (flags.attach) return runAttached(record, level);
      await runDetached(record, level);
      process.stdout.write(`${ref}\n`);
    }
    return 0;
  },
};
