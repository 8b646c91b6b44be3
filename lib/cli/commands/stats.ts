// carton stats: memory, CPU and pids of running containers, from their cgroups (chapter 04).
import type { Command } from '../command.js';
import { chapter } from '../../impl.js';
import { reconcile } from '../../runtime/lifecycle.js';
import { findContainer, listContainers, type ContainerRecord } from '../../runtime/state.js';
import { table } from '../format.js';

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)}MiB`;

async function rows(records: ContainerRecord[], previous: Map<string, [number, bigint]>): Promise<string[][]> {
  const cgroups = (await chapter.cgroups()).openCgroups();
  const out = [['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'PIDS']];
  for (const r of records) {
    if (!r.resources.cgroup) continue;
    const s = cgroups.open(r.id).stats();
    const now = process.hrtime.bigint();
    const [cpu0, t0] = previous.get(r.id) ?? [s.cpuUsageNs, now];
    previous.set(r.id, [s.cpuUsageNs, now]);
    const cpu = now > t0 ? ((s.cpuUsageNs - cpu0) / Number(now - t0)) * 100 : 0;
    const limit = s.memoryLimit ?? 0;
    out.push([r.id.slice(0, 12), r.name, `${cpu.toFixed(2)}%`, `${mib(s.memoryUsage)} / ${limit ? mib(limit) : 'unlimited'}`, limit ? `${((s.memoryUsage / limit) * 100).toFixed(2)}%` : '--', String(s.pidsCurrent)]);
  }
  return out;
}

export const stats: Command = {
  name: 'stats',
  summary: 'Display a live stream of container resource usage statistics',
  usage: '[OPTIONS] [CONTAINER...]',
  flags: [
    { name: 'no-stream', kind: 'bool', description: 'Disable streaming stats and only pull the first result' },
    { name: 'format', kind: 'string', value: 'string', description: 'Output format: "json"' },
  ],
  async run(flags, operands) {
    reconcile();
    const pick = () => (operands.length ? operands.map((ref) => findContainer(ref)) : listContainers()).filter((r) => r.status === 'running' || r.status === 'paused');
    const previous = new Map<string, [number, bigint]>();
    await rows(pick(), previous); // a first sample, so CPU % has an interval to measure
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const table_ = await rows(pick(), previous);
      if (flags.format === 'json') {
        const [head, ...body] = table_;
        process.stdout.write(body.map((row) => JSON.stringify(Object.fromEntries(head.map((h, i) => [h, row[i]])))).join('\n') + (body.length ? '\n' : ''));
      } else {
        if (!flags['no-stream']) process.stdout.write('\x1b[2J\x1b[H'); // clear the screen, as docker stats does
        process.stdout.write(table(table_));
      }
      if (flags['no-stream']) return 0;
    }
  },
};
