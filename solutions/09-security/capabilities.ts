// Chapter 09 — capabilities (man 7 capabilities). Root's power is split into ~41 bits; a
// process holds five sets of them. A container keeps Docker's default fourteen: enough to
// chown files, bind port 80, ping and switch users, and none that reaches past the
// container (no SYS_ADMIN: no mount, no new namespaces; no DAC_READ_SEARCH: no
// open_by_handle_at; no SYS_MODULE, SYS_TIME, SYS_PTRACE, SYS_RAWIO, NET_ADMIN, ...).
import { CartonError } from '../../lib/sys/errors.js';

/** Capability names by number, as in linux/capability.h. */
export const CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT',
  'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE',
  'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG',
  'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
] as const;

/** Docker's default set (moby oci/caps/defaults.go), in capability order. */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_NET_RAW', 'CAP_SYS_CHROOT', 'CAP_MKNOD', 'CAP_AUDIT_WRITE', 'CAP_SETFCAP',
];

export function capabilityNumber(name: string): number {
  const n = (CAPABILITIES as readonly string[]).indexOf(name);
  if (n < 0) throw new CartonError(`unknown capability: ${name}`, 'see man 7 capabilities; names may be given with or without CAP_ (NET_ADMIN, CAP_NET_ADMIN)');
  return n;
}

/** The sets as one 64-bit mask (bit N = capability N), as /proc/<pid>/status prints them. */
export function capabilityMask(names: string[]): bigint {
  return names.reduce((mask, name) => mask | (1n << BigInt(capabilityNumber(name))), 0n);
}

/** Names for a mask, for inspect and for errors. */
export function capabilityNames(mask: bigint): string[] {
  return CAPABILITIES.filter((_, n) => (mask >> BigInt(n)) & 1n);
}

// #region resolveCapabilities
/**
 * The capabilities a container gets: Docker's default set, minus --cap-drop, plus --cap-add
 * (drops first, so `--cap-drop ALL --cap-add NET_BIND_SERVICE` keeps exactly one). Names may
 * be given with or without the CAP_ prefix and in any case; ALL stands for every capability.
 * --privileged is every capability. Returns names with CAP_, in capability order.
 */
export function resolveCapabilities(add: string[], drop: string[], privileged = false): string[] {
  const normal = (name: string) => {
    const upper = name.toUpperCase();
    return upper === 'ALL' ? 'ALL' : upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  };
  const all: string[] = [...CAPABILITIES];
  if (privileged) return all;
  const adds = add.map(normal);
  const drops = drop.map(normal);
  for (const name of [...adds, ...drops]) if (name !== 'ALL') capabilityNumber(name); // unknown names are errors
  let kept = drops.includes('ALL') ? [] : DEFAULT_CAPABILITIES.filter((c) => !drops.includes(c));
  kept = adds.includes('ALL') ? all : [...kept, ...adds];
  return all.filter((c) => kept.includes(c));
}
// #endregion resolveCapabilities
