// carton volume create|ls|inspect|rm|prune: named volumes (chapter 05).
import type { Command } from '../command.js';
import { requireOperands, UsageError } from '../args.js';
import { Volumes } from '../../../solutions/05-overlayfs/volumes.js';
import { cartonRoot } from '../../runtime/paths.js';
import { table, since } from '../format.js';
import { INSPECT_FORMAT, printInspected } from '../template.js';
import { labelsOf } from '../env.js';

const volumes = () => new Volumes(cartonRoot());

/** The name of a container (running or not) whose record mounts the volume: Docker refuses to remove it. */
import { volumeUser } from '../../runtime/volumes.js';
export { volumeUser };

export const volumeCreate: Command = {
  name: 'volume create', summary: 'Create a volume', usage: '[OPTIONS] [NAME]', flags: [{ name: 'label', kind: 'list', description: 'Set metadata for a volume (KEY=VALUE)' }],
  async run(flags, operands) {
    if (operands.length > 1) throw Object.assign(new UsageError('volume create takes at most one NAME', "See 'carton volume create --help'."), { exitCode: 1 });
    const labels = labelsOf(flags.label as string[] | undefined);
    // Without a name, a random one, as Docker gives.
    const v = volumes().create(operands[0] ?? (await import('node:crypto')).randomBytes(32).toString('hex'), { labels });
    (await import('../../runtime/events.js')).emit('volume', 'create', v.name, { driver: 'local' });
    process.stdout.write(v.name + '\n');
    return 0;
  },
};

export const volumeLs: Command = {
  name: 'volume ls', summary: 'List volumes', usage: '[OPTIONS]',
  flags: [
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Only display volume names' },
    { name: 'filter', short: 'f', kind: 'list', description: 'Provide filter values (name, dangling=true|false, driver, label)' },
    { name: 'format', kind: 'string', value: 'string', description: "A Go template ('table {{.Name}}\\t{{.Mountpoint}}'), or 'json'" },
  ],
  async run(flags) {
    const { hasLabel, matchesFilters, parseFilters } = await import('../../runtime/filters.js');
    const filters = parseFilters((flags.filter as string[] | undefined) ?? [], ['name', 'dangling', 'driver', 'label']);
    const list = volumes().list().filter((v) => matchesFilters(v, filters, {
      name: (x, value) => x.name.includes(value), driver: (_x, value) => value === 'local',
      dangling: (x, value) => (value === 'true' || value === '1') === !volumeUser(x.name), label: (x, value) => hasLabel(x.labels, value),
    }));
    const format = flags.format as string | undefined;
    const shape = (v: (typeof list)[number]) => ({ Name: v.name, Driver: 'local', Mountpoint: v.mountpoint, CreatedAt: v.createdAt, Labels: Object.entries(v.labels ?? {}).map(([k, x]) => `${k}=${x}`).join(','), Scope: 'local' });
    if (flags.quiet) process.stdout.write(list.map((v) => v.name + '\n').join(''));
    else if (format === 'json') process.stdout.write(list.map((v) => JSON.stringify(shape(v)) + '\n').join(''));
    else if (format && format !== 'table') {
      const { renderRows } = await import('../template.js');
      process.stdout.write(renderRows(format, list.map(shape), { Name: 'VOLUME NAME' }, table));
    }
    else process.stdout.write(table([['DRIVER', 'VOLUME NAME', 'CREATED'], ...list.map((v) => ['local', v.name, since(v.createdAt)])]));
    return 0;
  },
};

export const volumeInspect: Command = {
  name: 'volume inspect', summary: 'Display detailed information on one or more volumes', usage: 'VOLUME [VOLUME...]', flags: [INSPECT_FORMAT],
  async run(flags, operands) {
    requireOperands('volume inspect', operands, 1, 'VOLUME');
    const shaped = operands.map((n) => {
      const v = volumes().inspect(n);
      return { Name: v.name, Driver: 'local', Mountpoint: v.mountpoint, CreatedAt: v.createdAt, Labels: v.labels, Scope: 'local', UsedBy: volumeUser(n) ?? null };
    });
    printInspected(shaped as never[], flags.format);
    return 0;
  },
};

export const volumeRm: Command = {
  name: 'volume rm', summary: 'Remove one or more volumes', usage: 'VOLUME [VOLUME...]', flags: [],
  async run(_flags, operands) {
    requireOperands('volume rm', operands, 1, 'VOLUME');
    const { emit } = await import('../../runtime/events.js');
    for (const name of operands) {
      volumes().remove(name, volumeUser);
      emit('volume', 'destroy', name, { driver: 'local' });
      process.stdout.write(name + '\n');
    }
    return 0;
  },
};

export const volumePrune: Command = {
  name: 'volume prune', summary: 'Remove unused local volumes', usage: '[OPTIONS]',
  flags: [
    { name: 'all', short: 'a', kind: 'bool', description: 'Remove all unused volumes, not just anonymous ones' },
    { name: 'force', short: 'f', kind: 'bool', description: 'Do not prompt for confirmation' },
  ],
  async run(flags) {
    const { confirm } = await import('../each.js');
    const what = flags.all ? 'all local volumes' : 'anonymous local volumes';
    if (!flags.force && !(await confirm(`WARNING! This will remove ${what} not used by at least one container.\nAre you sure you want to continue?`))) return 0;
    const { ANONYMOUS } = await import('../../runtime/volumes.js');
    const { emit } = await import('../../runtime/events.js');
    const { treeSize } = await import('../../../solutions/07-images/layers.js');
    const { bytes } = await import('../progress.js');
    const removed: string[] = [];
    let freed = 0;
    // As Docker (23 and later): only anonymous volumes unless -a; a named one may hold data someone means to keep.
    for (const v of volumes().list()) {
      if (volumeUser(v.name) || (!flags.all && v.labels[ANONYMOUS] === undefined)) continue;
      freed += treeSize(v.mountpoint);
      volumes().remove(v.name, volumeUser);
      emit('volume', 'destroy', v.name, { driver: 'local' });
      removed.push(v.name);
    }
    process.stdout.write(`${removed.length ? `Deleted Volumes:\n${removed.map((n) => n + '\n').join('')}\n` : ''}Total reclaimed space: ${bytes(freed)}\n`);
    return 0;
  },
};
