// carton logs: a detached container's output, from its json log.
import type { Command } from '../command.js';
import { requireOperands, UsageError } from '../args.js';
import { reconcile } from '../../runtime/lifecycle.js';
import { readLog, type LogEntry } from '../../runtime/logs.js';
import { findContainer, loadContainer } from '../../runtime/state.js';

export const logs: Command = {
  name: 'logs',
  summary: 'Fetch the logs of a container',
  usage: '[OPTIONS] CONTAINER',
  flags: [
    { name: 'follow', short: 'f', kind: 'bool', description: 'Follow log output' },
    { name: 'tail', short: 'n', kind: 'string', value: 'string', description: 'Number of lines to show from the end of the logs (default "all")' },
    { name: 'timestamps', short: 't', kind: 'bool', description: 'Show timestamps' },
  ],
  async run(flags, operands) {
    requireOperands('logs', operands, 1, 'CONTAINER', true);
    reconcile();
    const record = findContainer(operands[0]);
    const tail = flags.tail === undefined || flags.tail === 'all' ? Infinity : Number(flags.tail);
    if (Number.isNaN(tail) || tail < 0) throw new UsageError(`invalid --tail value "${flags.tail}": a number of lines or "all"`);
    const print = (entries: LogEntry[]) => {
      for (const e of entries) (e.stream === 'stderr' ? process.stderr : process.stdout).write(flags.timestamps ? `${e.time} ${e.log}` : e.log);
    };
    let { entries, offset } = readLog(record.id);
    print(tail === Infinity ? entries : entries.slice(Math.max(0, entries.length - tail)));
    if (!flags.follow) return 0;
    // Follow: poll the file until the container has exited and everything is printed.
    for (;;) {
      const running = loadContainer(record.id)?.status === 'running';
      await new Promise((r) => setTimeout(r, 100));
      ({ entries, offset } = readLog(record.id, offset));
      print(entries);
      if (!running) return 0;
    }
  },
};
