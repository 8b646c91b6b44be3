// carton ps: list containers.
import { existsSync } from 'node:fs';
import type { Command } from '../command.js';
import * as engine from '../../runtime/engine.js';
import { listContainers, type ContainerRecord } from '../../runtime/state.js';
import { quoteCommand, since, statusText, table } from '../format.js';
import { portsText } from './port.js';
import { applyFilters, parseFilters, wantsAll } from '../../runtime/filters.js';
import { UsageError } from '../args.js';
import { renderRows } from '../template.js';
import { q } from '../../sys/index.js';

/** The fields docker ps's --format has (Labels and Mounts as Docker gives them: comma-joined text). */
function fields(c: ContainerRecord, id: string): Record<string, string> {
  return {
    ID: id, Image: c.image, Command: quoteCommand(c.argv), CreatedAt: c.created, RunningFor: since(c.created),
    Status: statusText(c), State: c.status, Names: c.name, Ports: portsText(c), Pid: String(c.pid ?? 0),
    Labels: Object.entries(c.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(','),
    Mounts: c.mounts.map((m) => m.source || m.target).join(','),
    Networks: [c.network ?? 'bridge', ...(c.networks ?? []).map((n) => n.name)].join(','),
    Size: '',
  };
}

const HEADERS: Record<string, string> = { ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED', Status: 'STATUS', State: 'STATE', Names: 'NAMES', Ports: 'PORTS', Labels: 'LABELS', Mounts: 'MOUNTS', Networks: 'NETWORKS', Size: 'SIZE' };

/** Docker's SIZE: the container's writable layer, and with the image under it, "0B (virtual 1.99MB)". */
async function sizesOf(containers: ContainerRecord[]): Promise<Map<string, string>> {
  const [{ treeSize }, { containerLayer }, { openStore }, { bytes }] = await Promise.all([
    import('../../../solutions/07-images/layers.js'), import('../../runtime/state.js'), import('../../runtime/images.js'), import('../progress.js'),
  ]);
  const { store } = await openStore();
  const sizes = new Map<string, string>();
  for (const c of containers) {
    const upper = containerLayer(c.id).upper;
    const own = existsSync(upper) ? treeSize(upper) : 0;
    const image = c.imageId ? (store.find(c.imageId)?.size ?? 0) : 0;
    sizes.set(c.id, `${bytes(own)} (virtual ${bytes(own + image)})`);
  }
  return sizes;
}

export const ps: Command = {
  name: 'ps',
  summary: 'List containers',
  usage: '[OPTIONS]',
  flags: [
    { name: 'all', short: 'a', kind: 'bool', description: 'Show all containers (default shows just running)' },
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Only display container IDs' },
    { name: 'no-trunc', kind: 'bool', description: 'Don\'t truncate output' },
    { name: 'format', kind: 'string', value: 'string', description: 'Format output: "json", or a template like \'{{.ID}}\\t{{.Names}}\'' },
    { name: 'filter', short: 'f', kind: 'list', description: 'Filter output based on conditions provided (id, name, label, status, ancestor, exited, network, volume, before, since, health)' },
    { name: 'last', short: 'n', kind: 'string', value: 'int', description: 'Show n last created containers (includes all states)' },
    { name: 'size', short: 's', kind: 'bool', description: 'Display total file sizes (the writable layer, and with the image: virtual)' },
    { name: 'latest', short: 'l', kind: 'bool', description: 'Show the latest created container (includes all states)' },
  ],
  async run(flags) {
    await engine.recover();
    const filters = parseFilters((flags.filter as string[] | undefined) ?? []);
    const last = flags.latest ? 1 : flags.last !== undefined ? Number(flags.last) : undefined;
    if (last !== undefined && (!Number.isInteger(last) || last < 0)) throw new UsageError(`invalid value ${q(String(flags.last))} for -n: expected a count`);
    const everything = listContainers();
    const all = flags.all || last !== undefined || wantsAll(filters);
    let containers = applyFilters(everything.filter((c) => all || (c.status !== 'exited' && c.status !== 'created')), filters, everything);
    if (last !== undefined) containers = [...containers].sort((a, b) => b.created.localeCompare(a.created)).slice(0, last);
    const id = (c: ContainerRecord) => (flags['no-trunc'] ? c.id : c.id.slice(0, 12));
    if (flags.quiet) {
      process.stdout.write(containers.map((c) => id(c) + '\n').join(''));
    } else if (flags.format === 'json') {
      process.stdout.write(containers.map((c) => JSON.stringify({ ID: id(c), Image: c.image, Command: c.argv.join(' '), CreatedAt: c.created, Status: statusText(c), State: c.status, Names: c.name }) + '\n').join(''));
    } else if (typeof flags.format === 'string' && flags.format !== 'table') {
      const sizes = flags.size || flags.format.includes('.Size') ? await sizesOf(containers) : new Map<string, string>();
      process.stdout.write(renderRows(flags.format as string, containers.map((c) => ({ ...fields(c, id(c)), Size: sizes.get(c.id) ?? '' })), HEADERS, table));
    } else {
      const sizes = flags.size ? await sizesOf(containers) : undefined;
      const rows = [['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES', ...(sizes ? ['SIZE'] : [])]];
      for (const c of containers) rows.push([id(c), c.image, quoteCommand(c.argv), since(c.created), statusText(c), portsText(c), c.name, ...(sizes ? [sizes.get(c.id) ?? ''] : [])]);
      process.stdout.write(table(rows));
    }
    return 0;
  },
};
