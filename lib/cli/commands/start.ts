import type { Command } from '../command.js';
import { requireOperands, UsageError } from '../args.js';
import * as engine from '../../runtime/engine.js';
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
    await engine.recover();
    for (const ref of operands) {
      const record = engine.find(ref);
      if ((record.status === 'running' || record.status === 'paused') && flags.attach && record.detached) {
        // start -a of a running detached container attaches to it, as Docker's does.
        const { attach } = await import('./attach.js');
        return attach.run(flags.interactive ? {} : { 'no-stdin': true }, [record.id]);
      }
      const { started, status } = await engine.start(record, { attach: !!flags.attach, interactive: !!flags.interactive });
      if (status !== undefined) return status;
      if (started) process.stdout.write(`${ref}\n`);
    }
    return 0;
  },
};
