// carton stats: memory, CPU and pids of running containers, from their cgroups (chapter 04),
// and their network and block I/O.
import type { Command } from '../command.js';
import { chapter } from '../../impl.js';
import * as engine from '../../runtime/engine.js';
import { blockBytes, humanBytes, netBytes } from '../../runtime/io-stats.js';
import { findContainer, listContainers, type ContainerRecord } from '../../runtime/state.js';
import { table } from '../format.js';

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)}MiB`;

/** One container's line, with docker stats' --format fields. */
interface Row {
  Container: string;
  ID: string;
  Name: string;
  CPUPerc: string;
  MemUsage: string;
  MemPerc: string;
  NetIO: string;
  BlockIO: string;
  PIDs: string;
}

const HEADERS: Record<keyof Row, string> = {
  Container: 'CONTAINER', ID: 'CONTAINER ID', Name: 'NAME', CPUPerc: 'CPU %', MemUsage: 'MEM USAGE / LIMIT', MemPerc: 'MEM %', NetIO: 'NET I/O', BlockIO: 'BLOCK I/O', PIDs: 'PIDS',
};

async function rows(records: ContainerRecord[], previous: Map<string, [number, bigint]>, noTrunc: boolean): Promise<Row[]> {
  const cgroups = (await chapter.cgroups()).openCgroups();
  const out: Row[] = [];
  for (const r of records) {
    if (!r.resources.cgroup) continue;
    const s = cgroups.open(r.id).stats();
    const now = process.hrtime.bigint();
    const [cpu0, t0] = previous.get(r.id) ?? [s.cpuUsageNs, now];
    previous.set(r.id, [s.cpuUsageNs, now]);
    const cpu = now > t0 ? ((s.cpuUsageNs - cpu0) / Number(now - t0)) * 100 : 0;
    const limit = s.memoryLimit ?? 0;
    const net = r.pid && r.network !== 'host' ? netBytes(r.pid) : { rx: 0, tx: 0 };
    const block = r.pid ? blockBytes(r.pid) : { read: 0, write: 0 };
    const id = noTrunc ? r.id : r.id.slice(0, 12);
    out.push({
      Container: id, ID: id, Name: r.name, CPUPerc: `${cpu.toFixed(2)}%`, MemUsage: `${mib(s.memoryUsage)} / ${limit ? mib(limit) : 'unlimited'}`,
      MemPerc: limit ? `${((s.memoryUsage / limit) * 100).toFixed(2)}%` : '--', NetIO: `${humanBytes(net.rx)} / ${humanBytes(net.tx)}`,
      BlockIO: `${humanBytes(block.read)} / ${humanBytes(block.write)}`, PIDs: String(s.pidsCurrent),
    });
  }
  return out;
}

export const stats: Command = {
  name: 'stats',
  summary: 'Display a live stream of container resource usage statistics',
  usage: '[OPTIONS] [CONTAINER...]',
  flags: [
    { name: 'no-stream', kind: 'bool', description: 'Disable streaming stats and only pull the first result' },
    { name: 'format', kind: 'string', value: 'string', description: "Output format: \"json\", or a Go template ('table {{.Name}}\\t{{.CPUPerc}}')" },
    { name: 'no-trunc', kind: 'bool', description: 'Do not truncate output' },
    { name: 'all', short: 'a', kind: 'bool', description: 'Show all containers (default shows just running)' },
  ],
  async run(flags, operands) {
    await engine.recover();
    const pick = () => (operands.length ? operands.map((ref) => findContainer(ref)) : listContainers()).filter((r) => r.status === 'running' || r.status === 'paused');
    const previous = new Map<string, [number, bigint]>();
    const noTrunc = !!flags['no-trunc'];
    await rows(pick(), previous, noTrunc); // a first sample, so CPU % has an interval to measure
    const format = flags.format as string | undefined;
    const columns: Array<keyof Row> = ['ID', 'Name', 'CPUPerc', 'MemUsage', 'MemPerc', 'NetIO', 'BlockIO', 'PIDs'];
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const body = await rows(pick(), previous, noTrunc);
      let text: string;
      if (format === 'json') text = body.map((row) => JSON.stringify(row) + '\n').join('');
      else if (format && format !== 'table') text = (await import('../template.js')).renderRows(format, body as unknown as Array<Record<string, string>>, HEADERS, table);
      else text = table([columns.map((c) => HEADERS[c]), ...body.map((row) => columns.map((c) => row[c]))]);
      if (!flags['no-stream'] && !format) process.stdout.write('\x1b[2J\x1b[H'); // clear the screen, as docker stats does
      process.stdout.write(text);
      if (flags['no-stream']) return 0;
    }
  },
};
