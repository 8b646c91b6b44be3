// carton events: the events carton's commands recorded (lib/runtime/events.ts), as Docker's
// event stream shows them: past ones with --since, then new ones as they happen, until
// --until or Ctrl-C.
import type { Command } from '../command.js';
import { UsageError } from '../args.js';
import { parseTime } from './logs.js';
import { readEvents, type CartonEvent } from '../../runtime/events.js';
import { hasLabel, matchesFilters, parseFilters } from '../../runtime/filters.js';

/** Docker's line: "2026-12-02T03:49:49.329000000Z container start 3d05… (image=carton/busybox, name=web)". */
function line(e: CartonEvent): string {
  const iso = new Date(e.timeMs).toISOString().replace(/Z$/, '000000Z');
  const attributes = Object.entries(e.Actor.Attributes).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${iso} ${e.Type} ${e.Action} ${e.Actor.ID}${attributes ? ` (${attributes})` : ''}\n`;
}

/** Docker's JSON object, with the older fields it still sends for containers and images. */
function shape(e: CartonEvent): Record<string, unknown> {
  const legacy = e.Type === 'container' || e.Type === 'image' ? { status: e.Action, id: e.Actor.ID, from: e.Actor.Attributes.image ?? e.Actor.Attributes.name } : {};
  return { ...legacy, Type: e.Type, Action: e.Action, Actor: e.Actor, scope: 'local', time: e.time, timeNano: `${e.timeMs}000000` };
}

/** The JSON line, timeNano as the integer Docker sends (too large for a JavaScript number). */
const jsonLine = (e: CartonEvent) => JSON.stringify(shape(e)).replace(/"timeNano":"(\d+)"/, '"timeNano":$1') + '\n';

export const events: Command = {
  name: 'events',
  summary: 'Get real time events from carton',
  usage: '[OPTIONS]',
  flags: [
    { name: 'since', kind: 'string', value: 'string', description: 'Show all events created since timestamp (or a duration before now: 10m)' },
    { name: 'until', kind: 'string', value: 'string', description: 'Stream events until this timestamp' },
    { name: 'filter', short: 'f', kind: 'list', description: 'Filter output based on conditions provided (type, event, container, image, network, volume, label)' },
    { name: 'format', kind: 'string', value: 'string', description: "Format the output: 'json', or a Go template ('{{.Type}} {{.Action}}')" },
  ],
  details: `carton has no daemon: each command records the events it causes, and this command reads
them. Without --since only new events are shown; with --until it ends there.`,
  async run(flags) {
    const filters = parseFilters((flags.filter as string[] | undefined) ?? [], ['type', 'event', 'container', 'image', 'network', 'volume', 'label']);
    const since = flags.since === undefined ? undefined : parseTime(flags.since as string, '--since');
    const until = flags.until === undefined ? undefined : parseTime(flags.until as string, '--until');
    if (since !== undefined && until !== undefined && until < since) throw new UsageError('--until is before --since');
    const attr = (e: CartonEvent, k: string) => e.Actor.Attributes[k];
    const pass = (e: CartonEvent) => matchesFilters(e, filters, {
      type: (x, v) => x.Type === v,
      event: (x, v) => x.Action === v || x.Action.startsWith(`${v}:`),
      container: (x, v) => x.Type === 'container' && (x.Actor.ID.startsWith(v) || attr(x, 'name') === v),
      image: (x, v) => (x.Type === 'image' && (x.Actor.ID === v || attr(x, 'name') === v)) || attr(x, 'image') === v,
      network: (x, v) => x.Type === 'network' && (x.Actor.ID.startsWith(v) || attr(x, 'name') === v),
      volume: (x, v) => x.Type === 'volume' && x.Actor.ID === v,
      label: (x, v) => hasLabel(x.Actor.Attributes, v),
    });
    const format = flags.format as string | undefined;
    const { goMap, renderTemplate } = await import('../template.js');
    const render = format === 'json' ? jsonLine
      : format ? (e: CartonEvent) => renderTemplate(format, shape({ ...e, Actor: { ID: e.Actor.ID, Attributes: goMap(e.Actor.Attributes) } }) as never) + '\n' : line;
    const show = async (list: CartonEvent[]) => {
      for (const e of list) {
        const ms = e.timeMs;
        if (since !== undefined && ms < since) continue;
        if (until !== undefined && ms >= until) continue;
        if (pass(e)) process.stdout.write(await render(e));
      }
    };
    let { events: past, offset } = readEvents();
    if (since !== undefined) await show(past);
    past = [];
    let stop = false;
    const onSignal = () => (stop = true);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      while (!stop && (until === undefined || Date.now() < until)) {
        await new Promise((r) => setTimeout(r, 100));
        const next = readEvents(offset);
        offset = next.offset;
        await show(next.events);
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return 0;
  },
};

export const systemEvents: Command = { ...events, name: 'system events' };
