import { join } from 'node:path';

// Where carton keeps things. Tests point CARTON_ROOT (persistent state: images, containers,
// volumes) and CARTON_RUN (volatile state) at temporary directories.
export function cartonRoot(): string {
  return process.env.CARTON_ROOT || '/var/lib/carton';
}

export function runRoot(): string {
  return process.env.CARTON_RUN || '/run/carton';
}

/** A container's volatile files (its /etc files, the overlay's mount point) while it runs. */
export function runDir(id: string): string {
  return join(runRoot(), id);
}
