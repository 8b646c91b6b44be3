// carton logs: a detached container's output, from its json log.
import type { Command } from '../command.js';
import { requireOperands, UsageError } from '../args.js';
import * as engine from '../../runtime/engine.js';
import { readLog, type LogEntry } from '../../runtime/logs.js';
import { findContainer, loadContainer } from '../../runtime/state.js';
import { CartonError } from '../../sys/index.js';

/**
 * Docker's --since/--until: an RFC 3339 time (2026-12-01T10:00:00Z, a date alone, or with an
 * offset), Unix seconds (1764583200, with a fraction), or a duration before now (10m, 1h30m, 45s).
 */
export function parseTime(value: string, flag: string, now = Date.now()): number {
  const relative = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+)ms)?$/.exec(value);
  if (relative && value !== '') {
    const [, h, m, sec, ms] = relative;
    return now - ((Number(h ?? 0) * 60 + Number(m ?? 0)) * 60 + Number(sec ?? 0)) * 1000 - Number(ms ?? 0);
  }
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UsageError(`invalid value for ${flag}: ${JSON.stringify(value)}`, 'an RFC 3339 time (2026-12-01T10:00:00Z), Unix seconds, or a duration such as 10m');
  return t;
}

export const logs: Command = {
  name: 'logs',
  summary: 'Fetch the logs of a container',
  usage: '[OPTIONS] CONTAINER',
  flags: [
    { name: 'follow', short: 'f', kind: 'bool', description: 'Follow log output' },
    { name: 'tail', short: 'n', kind: 'string', value: 'string', description: 'Number of lines to show from the end of the logs (default "all")' },
    { name: 'timestamps', short: 't', kind: 'bool', description: 'Show timestamps' },
    { name: 'since', kind: 'string', value: 'string', description: 'Show logs since a time (e.g. 2026-12-01T10:00:00Z) or for a relative one (e.g. 42m)' },
    { name: 'until', kind: 'string', value: 'string', description: 'Show logs before a time (e.g. 2026-12-01T10:00:00Z) or a relative one (e.g. 42m)' },
    { name: 'details', kind: 'bool', description: 'Show extra details provided to logs (carton records none: no change)' },
  ],
  async run(flags, operands) {
    requireOperands('logs', operands, 1, 'CONTAINER', true);
    await engine.recover();
    const record = findContainer(operands[0]);
    if (record.log?.driver === 'none') throw new CartonError(`configured logging driver does not support reading: container ${record.name} runs with --log-driver none`);
    const tail = flags.tail === undefined || flags.tail === 'all' ? Infinity : Number(flags.tail);
    if (Number.isNaN(tail) || tail < 0) throw new UsageError(`invalid --tail value "${flags.tail}": a number of lines or "all"`);
    const since = flags.since === undefined ? -Infinity : parseTime(flags.since as string, '--since');
    const until = flags.until === undefined ? Infinity : parseTime(flags.until as string, '--until');
    const print = (entries: LogEntry[]) => {
      for (const e of entries) {
        const t = Date.parse(e.time);
        if (t < since || t >= until) continue;
        (e.stream === 'stderr' ? process.stderr : process.stdout).write(flags.timestamps ? `${e.time} ${e.log}` : e.log);
      }
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
