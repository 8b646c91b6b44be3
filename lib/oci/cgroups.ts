// linux.cgroupsPath and linux.resources, through chapter 04's cgroup manager. containerd
// asks for "/<namespace>/<id>" (cgroupfs); carton puts a path in every hierarchy the
// machine has, as for its own containers, with the spec's limits and device rules.
import { existsSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CartonError, q } from '../sys/index.js';
import { openCgroups } from '../../solutions/04-cgroups/manager.js';
import type { ContainerCgroup, Limits } from '../../solutions/04-cgroups/types.js';
import { cgroupLayout } from '../../solutions/00-doctor/cgroup-layout.js';
import type { DeviceRule, Resources } from '../../solutions/08-oci/spec.js';

export interface Placement {
  parent: string;
  name: string;
  /** The parent directories that create made (so that delete removes them again when empty). */
  madeParents?: string[];
}

/** Where the container's cgroup goes: "/default/t1" is t1 under default; none: carton-oci/<id>. */
export function placement(cgroupsPath: string | undefined, id: string, systemd: boolean): Placement {
  if (systemd) throw new CartonError('--systemd-cgroup is not supported: carton manages cgroupfs directly', 'run without it (containerd: SystemdCgroup = false)');
  const path = (cgroupsPath ?? '').replace(/^\/+|\/+$/g, '');
  if (path === '') return { parent: 'carton-oci', name: id };
  if (path.split('/').some((part) => part === '..' || part === '.')) throw new CartonError(`linux.cgroupsPath: ${q(cgroupsPath!)} may not contain "." or ".."`);
  return { parent: dirname(path) === '.' ? '' : dirname(path), name: path.split('/').pop()! };
}

/** linux.resources in chapter 04's units (the spec's are the kernel's already). */
export function limitsOf(resources: Resources = {}): Limits {
  const { memory, cpu, pids } = resources;
  const limits: Limits = {};
  if (memory?.limit && memory.limit > 0) limits.memory = memory.limit;
  if (memory?.swap) limits.memorySwap = memory.swap;
  if (cpu?.shares) limits.cpuShares = cpu.shares;
  if (cpu?.quota && cpu.quota > 0) limits.cpuQuotaUs = cpu.quota;
  if (cpu?.period) limits.cpuPeriodUs = cpu.period;
  if (cpu?.cpus) limits.cpusetCpus = cpu.cpus;
  if (pids?.limit && pids.limit > 0) limits.pidsMax = pids.limit;
  return limits;
}

// What runc lets every container open whatever the spec says (libcontainer/specconv
// AllowedDevices): null, zero, full, random, urandom, tty, the console, ptmx and the pts.
const ALWAYS_ALLOWED = ['c 1:3 rwm', 'c 1:5 rwm', 'c 1:7 rwm', 'c 1:8 rwm', 'c 1:9 rwm', 'c 5:0 rwm', 'c 5:1 rwm', 'c 5:2 rwm', 'c 136:* rwm'];

/** The spec's device rules as devices.allow/devices.deny lines, in order: [file, line]. */
export function deviceRuleLines(rules: DeviceRule[] = []): Array<['devices.allow' | 'devices.deny', string]> {
  const line = (r: DeviceRule) => `${r.type ?? 'a'} ${r.major ?? '*'}:${r.minor ?? '*'} ${r.access || 'rwm'}`;
  return [
    ...rules.map((r): ['devices.allow' | 'devices.deny', string] => [r.allow ? 'devices.allow' : 'devices.deny', line(r)]),
    ...ALWAYS_ALLOWED.map((l): ['devices.allow', string] => ['devices.allow', l]),
  ];
}

export interface OciCgroup extends ContainerCgroup {
  frozen(): boolean;
}

export function ociCgroup(place: Placement): OciCgroup {
  const cgroup = openCgroups({ parent: place.parent }).open(place.name);
  return { ...cgroup, frozen: () => isFrozen(cgroup.paths) };
}

/** Make the cgroup with its limits and device rules (v1 devices hierarchy, where there is one). */
export function createCgroup(place: Placement, resources: Resources | undefined): OciCgroup {
  const parents = openCgroups({ parent: place.parent }).open(place.name).paths.map(dirname);
  place.madeParents = parents.filter((dir) => place.parent !== '' && !existsSync(dir));
  const cgroup = openCgroups({ parent: place.parent }).create(place.name, limitsOf(resources));
  const devices = cgroupLayout().v1.devices;
  const dir = devices && cgroup.paths.find((p) => p.startsWith(devices + '/'));
  try {
    if (dir) for (const [file, line] of deviceRuleLines(resources?.devices)) writeFileSync(join(dir, file), line);
  } catch (error) {
    cgroup.destroy();
    throw new CartonError(`linux.resources.devices: ${(error as Error).message}`);
  }
  return { ...cgroup, frozen: () => isFrozen(cgroup.paths) };
}

/** Remove the container's cgroup, and the parents create made if nothing else lives there now. */
export function destroyCgroup(place: Placement): void {
  ociCgroup(place).destroy();
  for (const dir of place.madeParents ?? []) {
    try {
      rmdirSync(dir);
    } catch {
      // EBUSY: another container lives there now; ENOENT: gone already
    }
  }
}

function isFrozen(paths: string[]): boolean {
  for (const dir of paths) {
    const v1 = join(dir, 'freezer.state');
    if (existsSync(v1)) return readFileSync(v1, 'utf8').trim() !== 'THAWED';
  }
  for (const dir of paths) {
    const events = join(dir, 'cgroup.events');
    if (existsSync(events) && existsSync(join(dir, 'cgroup.freeze'))) return /^frozen 1$/m.test(readFileSync(events, 'utf8'));
  }
  return false;
}
