// carton ps: list containers.
import type { Command } from '../command.js';
import { reconcile } from '../../runtime/lifecycle.js';
import { listContainers, type ContainerRecord } from '../../runtime/state.js';
import { quoteCommand, since, statusText, table } from '../format.js';
import { publishedPorts } from './port.js';
import { applyFilters, parseFilters, wantsAll } from '../../runtime/filters.js';
import { UsageError } from '../args.js';
import { renderRows } from '../template.js';
import { q } from '../../sys/index.js';

const ports = (c: ContainerRecord) => publishedPorts(c.resources).map((p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}->${p.containerPort}/${p.protocol}`).join(', ');

/** The fields docker ps's --format has (Labels and Mounts as Docker gives them: comma-joined text). */
function fields(c: ContainerRecord, id: string): Record<string, string> {
  return {
    ID: id, Image: c.image, Command: quoteCommand(c.argv), CreatedAt: c.created, RunningFor: since(c.created),
    Status: statusText(c), State: c.status, Names: c.name, Ports: ports(c), Pid: String(c.pid ?? 0),
    Labels: Object.entries(c.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(','),
    Mounts: c.mounts.map((m) => m.source || m.target).join(','),
    Networks: [c.network ?? 'bridge', ...(c.networks ?? []).map((n) => n.name)].join(','),
    Size: '',
  };
}

const HEADERS: Record<string, string> = { ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED', Status: 'STATUS', State: 'STATE', Names: 'NAMES', Ports: 'PORTS', Labels: 'LABELS', Mounts: 'MOUNTS', Networks: 'NETWORKS' };

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
    { name: 'latest', short: 'l', kind: 'bool', description: 'Show the latest created container (includes all states)' },
  ],
  async run(flags) {
    reconcile();
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
      process.stdout.write(renderRows(flags.format as string, containers.map((c) => fields(c, id(c))), HEADERS, table));
    } else {
      const rows = [['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES']];
      for (const c of containers) rows.push([id(c), c.image, quoteCommand(c.argv), since(c.created), statusText(c), ports(c), c.name]);
      process.stdout.write(table(rows));
    }
    return 0;
  },
};
