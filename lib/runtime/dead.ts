// Freeing a Dead container (its record unreadable): everything carton holds on the host for
// a container carries its id, so the id alone finds it. The release hooks run on a record rebuilt from what the host shows: the cgroups (by
// id: destroying them kills the container's processes, and with its network namespace its
// veths), and each network where an address is allocated to the id (its rules, its address,
// its name in the others' /etc/hosts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chapter } from '../impl.js';
import { releaseResources, waitUntil } from './lifecycle.js';
import { ipamOf } from './networks.js';
import type { ContainerRecord, JoinedNetwork } from './state.js';

/** The monitor of container `id` (its argv: …/monitor.js ID LEVEL), if one runs. */
function monitorsOf(id: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.includes(id) && argv.some((a) => /\/runtime\/monitor\.(js|ts)$/.test(a))) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** The networks on which an address is allocated to `id`, as the record would have held them. */
async function joinedByAddress(id: string): Promise<JoinedNetwork[]> {
  const networking = await chapter.networking();
  return ipamOf(networking).heldBy(id).map(({ network, address }, index) => ({ name: network, index, address }));
}

export async function releaseDead(record: ContainerRecord): Promise<void> {
  const monitors = monitorsOf(record.id);
  const [first, ...rest] = await joinedByAddress(record.id);
  // resources.cgroup present (empty): the cgroup hook destroys carton/<id> in every hierarchy,
  // which kills the container's processes. Its monitor, the parent of its first process, reaps
  // it (killed first, it would leave a zombie for the host's init), fails to record the end
  // in the unreadable record, and exits; one that lingers is killed.
  releaseResources({ ...record, resources: { cgroup: [], ...(first ? { network: first } : {}), networks: rest } });
  await waitUntil(() => monitors.every((pid) => !existsSync(`/proc/${pid}/cmdline`) || readFileSync(`/proc/${pid}/cmdline`, 'utf8') === ''), 3000);
  for (const pid of monitorsOf(record.id)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
