// In a user namespace mknod(2) of a device fails (EPERM: only the host's root may make one),
// so each harmless device is the host's own node, bind-mounted over an empty file (as runc
// does in a user namespace). The devices cgroup still decides what may be opened.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as sys from '../sys/index.js';

/** Bind the host's /dev/NAME onto DEV/NAME for each of `names`. */
export function bindHostDevices(dev: string, names: string[]): void {
  for (const name of names) bindHostDevice(`/dev/${name}`, join(dev, name));
}

/** Bind the host's device node `source` onto `target` (an empty file is made for it). */
export function bindHostDevice(source: string, target: string): void {
  writeFileSync(target, '');
  sys.mount(source, target, null, sys.MS_BIND);
}
