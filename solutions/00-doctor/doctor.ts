// Chapter 00: before building containers, find out what this kernel and machine offer.
// Every check reads kernel state (/proc, /sys) or looks for a program, and says how to fix
// what is missing. `carton doctor` prints the result.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupLayout, type CgroupLayout } from './cgroup-layout.js';
import { NAMESPACES } from '../../lib/sys/constants.js';
import { findStaticBusybox } from '../01-chroot/rootfs.js';

export type Status = 'ok' | 'warn' | 'missing';

export interface Check {
  name: string;
  status: Status;
  detail: string;
  fix?: string;
}

// capabilities(7) bit numbers
const CAPS: Record<string, number> = { CAP_CHOWN: 0, CAP_NET_ADMIN: 12, CAP_SYS_CHROOT: 18, CAP_SYS_ADMIN: 21, CAP_MKNOD: 27 };

/** Effective capabilities of this process, from /proc/self/status. */
export function effectiveCapabilities(procRoot = '/proc'): string[] {
  const status = readFileSync(join(procRoot, 'self/status'), 'utf8');
  const hex = /^CapEff:\s*([0-9a-f]+)/m.exec(status)?.[1] ?? '0';
  const bits = BigInt(`0x${hex}`);
  return Object.entries(CAPS).filter(([, bit]) => (bits >> BigInt(bit)) & 1n).map(([name]) => name);
}

function findProgram(name: string): string | undefined {
  return ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin'].map((d) => join(d, name)).find((p) => existsSync(p));
}

export function describeCgroups(layout: CgroupLayout): Check {
  const v1 = Object.keys(layout.v1).sort();
  const parts: string[] = [];
  if (v1.length) parts.push(`v1 controllers: ${v1.join(', ')}`);
  if (layout.v2Mount) parts.push(`cgroup2 at ${layout.v2Mount} with ${layout.v2Controllers.length ? layout.v2Controllers.join(', ') : 'no controllers'}`);
  if (layout.mode === 'none') return { name: 'cgroups', status: 'missing', detail: 'no cgroup filesystem mounted', fix: 'mount -t cgroup2 none /sys/fs/cgroup' };
  return { name: 'cgroups', status: 'ok', detail: `${layout.mode} (${parts.join('; ')})` };
}

/** seccomp (chapter 09): the filter mode, and the actions this kernel can take. */
export function describeSeccomp(procRoot = '/proc'): Check {
  const status = readFileSync(join(procRoot, 'self/status'), 'utf8');
  if (!/^Seccomp:/m.test(status)) return { name: 'seccomp', status: 'warn', detail: 'not in this kernel: containers get no system call filter', fix: 'a kernel built with CONFIG_SECCOMP_FILTER' };
  let actions = '';
  try {
    actions = readFileSync(join(procRoot, 'sys/kernel/seccomp/actions_avail'), 'utf8').trim();
  } catch {
    // older kernels do not list them
  }
  if (actions && !actions.split(' ').includes('errno')) return { name: 'seccomp', status: 'warn', detail: `filters without the errno action (${actions})`, fix: 'a newer kernel' };
  return { name: 'seccomp', status: 'ok', detail: `filter mode${actions ? `, actions: ${actions}` : ''}` };
}

/** User namespaces: may they be made, and has root a subordinate id range (/etc/subuid) for them? */
export function describeUserNamespaces(procRoot = '/proc', subuid = '/etc/subuid'): Check {
  let max = -1;
  try {
    max = Number(readFileSync(join(procRoot, 'sys/user/max_user_namespaces'), 'utf8').trim());
  } catch {
    // not there: no user namespaces in this kernel
  }
  if (max <= 0) return { name: 'user namespaces', status: 'warn', detail: max === 0 ? 'disabled (user.max_user_namespaces = 0)' : 'not in this kernel', fix: 'sysctl user.max_user_namespaces=15000' };
  // --userns=private takes the range of the user carton, else root's.
  let range = '';
  try {
    const lines = readFileSync(subuid, 'utf8').split('\n');
    range = lines.find((l) => l.startsWith('carton:')) ?? lines.find((l) => l.startsWith('root:')) ?? '';
  } catch {
    // no /etc/subuid
  }
  const owner = range.slice(0, range.indexOf(':'));
  return range
    ? { name: 'user namespaces', status: 'ok', detail: `up to ${max}; ${owner}'s subordinate ids ${range.slice(owner.length + 1)} (--userns=private)` }
    : { name: 'user namespaces', status: 'warn', detail: `up to ${max}, but neither carton nor root has a subordinate id range in ${subuid}: --userns=private needs one`, fix: `echo carton:100000:65536 >> ${subuid} (and the same in /etc/subgid)` };
}

export function runChecks(procRoot = '/proc'): Check[] {
  const checks: Check[] = [];
  const uid = process.getuid?.() ?? -1;
  const caps = effectiveCapabilities(procRoot);
  const needed = ['CAP_SYS_ADMIN', 'CAP_SYS_CHROOT', 'CAP_NET_ADMIN', 'CAP_MKNOD'];
  const lacking = needed.filter((c) => !caps.includes(c));
  checks.push(lacking.length === 0
    ? { name: 'privileges', status: 'ok', detail: `uid ${uid}, with ${needed.join(', ')}` }
    : { name: 'privileges', status: 'missing', detail: `uid ${uid}, lacking ${lacking.join(', ')}`, fix: 'run carton as root: sudo carton ...' });

  for (const ns of Object.keys(NAMESPACES)) {
    const there = existsSync(join(procRoot, 'self/ns', ns));
    checks.push(there
      ? { name: `namespace ${ns}`, status: 'ok', detail: `/proc/self/ns/${ns}` }
      : { name: `namespace ${ns}`, status: 'missing', detail: 'not in /proc/self/ns', fix: `a kernel built with CONFIG_${ns.toUpperCase()}_NS` });
  }

  const filesystems = readFileSync(join(procRoot, 'filesystems'), 'utf8');
  checks.push(/\boverlay\b/.test(filesystems)
    ? { name: 'overlayfs', status: 'ok', detail: 'in /proc/filesystems' }
    : { name: 'overlayfs', status: 'warn', detail: 'not loaded', fix: 'modprobe overlay' });

  checks.push(describeCgroups(cgroupLayout(procRoot)));

  checks.push(describeSeccomp(procRoot), describeUserNamespaces(procRoot));

  const tools: Array<[string, string]> = [['ip', 'iproute2'], ['nft', 'nftables']];
  for (const [tool, pkg] of tools) {
    const path = findProgram(tool);
    checks.push(path ? { name: tool, status: 'ok', detail: path } : { name: tool, status: 'missing', detail: 'not found', fix: `apt-get install ${pkg}` });
  }
  const busybox = findStaticBusybox();
  checks.push(busybox
    ? { name: 'busybox', status: 'ok', detail: `${busybox} (static: the default image carton/busybox)` }
    : { name: 'busybox', status: 'warn', detail: 'no static busybox: carton/busybox will be made of host programs', fix: 'apt-get install busybox-static' });
  return checks;
}
