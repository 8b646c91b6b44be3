// `carton oci update`: new limits for a running container's cgroup, as linux.resources JSON
// (--resources FILE, or - for stdin: what containerd sends) or runc's flags.
import { readFileSync } from 'node:fs';
import { CartonError, q } from '../sys/index.js';
import type { Resources } from '../../solutions/08-oci/spec.js';
import { limitsOf, ociCgroup } from './cgroups.js';
import { load, status } from './store.js';

export async function updateResources(root: string, id: string, flags: Record<string, string>): Promise<void> {
  const record = load(root, id);
  const now = await status(root, record);
  if (now === 'stopped') throw new CartonError(`cannot update container ${q(id)}: it is stopped`);
  let resources: Resources = {};
  if (flags.resources) {
    try {
      resources = JSON.parse(readFileSync(flags.resources === '-' ? 0 : flags.resources, 'utf8')) as Resources;
    } catch (error) {
      throw new CartonError(`update --resources ${q(flags.resources)}: ${(error as Error).message}`, 'give linux.resources as JSON');
    }
  }
  const int = (name: string) => {
    if (flags[name] === undefined) return undefined;
    const n = Number(flags[name]);
    if (!Number.isInteger(n)) throw new CartonError(`update --${name}: ${q(flags[name])} is not a number`);
    return n;
  };
  resources = {
    ...resources,
    memory: { ...resources.memory, ...(int('memory') !== undefined ? { limit: int('memory') } : {}), ...(int('memory-swap') !== undefined ? { swap: int('memory-swap') } : {}) },
    cpu: { ...resources.cpu, ...(int('cpu-shares') !== undefined ? { shares: int('cpu-shares') } : {}), ...(int('cpu-quota') !== undefined ? { quota: int('cpu-quota') } : {}), ...(int('cpu-period') !== undefined ? { period: int('cpu-period') } : {}), ...(flags['cpuset-cpus'] ? { cpus: flags['cpuset-cpus'] } : {}) },
    pids: { ...resources.pids, ...(int('pids-limit') !== undefined ? { limit: int('pids-limit') } : {}) },
  };
  ociCgroup(record.cgroup).update(limitsOf(resources));
}
