// Chapter 03: the container's own filesystem. In a new mount namespace the container gets a
// *copy* of the host's mount table; we make it private (so nothing we mount leaks back to the
// host), make the rootfs a mount point, mount the special filesystems into it, and pivot_root.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as sys from '../../lib/sys/index.js';

// #region makeMountsPrivate
/**
 * Stop mount events propagating between our new mount namespace and the host's. On systemd
 * machines / is a *shared* mount: without this, every mount below would appear on the host
 * too — and pivot_root refuses to work (EINVAL) when the parent mount of new_root is shared.
 */
export function makeMountsPrivate(): void {
  sys.mount(null, '/', null, sys.MS_REC | sys.MS_PRIVATE);
}
// #endregion makeMountsPrivate

/** pivot_root needs new_root to be a mount point: bind-mount the rootfs onto itself. */
export function bindRootfs(rootfs: string): void {
  sys.mount(rootfs, rootfs, null, sys.MS_BIND | sys.MS_REC);
}

// #region mountProc
/**
 * Mount a procfs at <root>/proc. procfs shows the PID namespace of the process that mounts
 * it, so this must run in a process that is *inside* the container's PID namespace.
 */
export function mountProc(root: string): void {
  const target = join(root, 'proc');
  mkdirSync(target, { recursive: true });
  sys.mount('proc', target, 'proc', sys.MS_NOSUID | sys.MS_NODEV | sys.MS_NOEXEC);
}
// #endregion mountProc

/** sysfs, read-only, as Docker mounts it for unprivileged containers. */
export function mountSys(root: string): void {
  const target = join(root, 'sys');
  mkdirSync(target, { recursive: true });
  sys.mount('sysfs', target, 'sysfs', sys.MS_RDONLY | sys.MS_NOSUID | sys.MS_NODEV | sys.MS_NOEXEC);
}

/** Bind-mount a host file over a file of the container (created empty if missing). */
export function bindFile(source: string, target: string, readOnly = false): void {
  if (!existsSync(target)) {
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, '');
  }
  sys.mount(source, target, null, sys.MS_BIND);
  if (readOnly) sys.mount(null, target, null, sys.MS_BIND | sys.MS_REMOUNT | sys.MS_RDONLY);
}

// Docker's defaults (moby oci/defaults.go): hidden, and read-only.
export const MASKED_PATHS = ['/proc/asound', '/proc/acpi', '/proc/interrupts', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap'];
export const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/**
 * Hide kernel interfaces a container has no business reading (a read-only empty tmpfs over
 * a directory, `nullDevice` over a file), and make others read-only (a bind mount of the path
 * onto itself, then a read-only remount of that bind). Paths are inside `root`.
 */
export function maskPaths(root: string, masked = MASKED_PATHS, readOnly = READONLY_PATHS, nullDevice = '/dev/null'): void {
  for (const path of masked) {
    const target = join(root, path);
    if (!existsSync(target)) continue;
    if (statSync(target).isDirectory()) sys.mount('tmpfs', target, 'tmpfs', sys.MS_RDONLY);
    else sys.mount(nullDevice, target, null, sys.MS_BIND);
  }
  for (const path of readOnly) {
    const target = join(root, path);
    if (!existsSync(target)) continue;
    sys.mount(target, target, null, sys.MS_BIND | sys.MS_REC);
    sys.mount(null, target, null, sys.MS_BIND | sys.MS_REMOUNT | sys.MS_RDONLY | sys.MS_REC);
  }
}
