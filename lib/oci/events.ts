// `carton oci events`: the container's resource usage, from its cgroup, as runc's "stats"
// event: once with --stats, else every --interval until the container stops.
import { CartonError, q } from '../sys/index.js';
import { ociCgroup } from './cgroups.js';
import { load, status } from './store.js';

function seconds(interval: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(interval);
  if (!m) throw new CartonError(`--interval: ${q(interval)} is not a duration`, 'such as 5s, 500ms or 1m');
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : n;
}

export async function events(root: string, id: string, once: boolean, interval: string): Promise<number> {
  const period = seconds(interval);
  const record = load(root, id);
  for (;;) {
    if ((await status(root, record)) === 'stopped') {
      if (once) throw new CartonError(`container ${q(id)} is not running`);
      return 0;
    }
    const s = ociCgroup(record.cgroup).stats();
    const data = {
      cpu: { usage: { total: s.cpuUsageNs } },
      memory: { usage: { usage: s.memoryUsage, ...(s.memoryLimit !== null ? { limit: s.memoryLimit } : {}) } },
      pids: { current: s.pidsCurrent, ...(s.pidsLimit !== null ? { limit: s.pidsLimit } : {}) },
    };
    process.stdout.write(JSON.stringify({ type: 'stats', id, data }) + '\n');
    if (once) return 0;
    await new Promise((r) => setTimeout(r, period * 1000));
  }
}
