// Chapter 09 — the devices a container may use. CAP_MKNOD lets it create device nodes, and
// an image may ship some: the devices cgroup decides which of them can be opened. Docker's
// default allow list: create any node (m), but read and write only the harmless ones.
// cgroup v1: devices.deny and devices.allow in the container's devices cgroup. (cgroup v2
// has no such files: it takes a BPF program of type BPF_PROG_TYPE_CGROUP_DEVICE instead.)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_DEVICE_RULES = [
  'c *:* m', 'b *:* m',
  'c 1:3 rwm', 'c 1:5 rwm', 'c 1:7 rwm', 'c 1:8 rwm', 'c 1:9 rwm', // null zero full random urandom
  'c 5:0 rwm', 'c 5:1 rwm', 'c 5:2 rwm', 'c 136:* rwm', // tty console ptmx pts/*
  'c 10:200 rwm', // net/tun
];

/** Deny every device, then allow `rules`, in a v1 devices cgroup directory. */
export function restrictDevicesV1(dir: string, rules = DEFAULT_DEVICE_RULES): void {
  writeFileSync(join(dir, 'devices.deny'), 'a');
  for (const rule of rules) writeFileSync(join(dir, 'devices.allow'), rule);
}
