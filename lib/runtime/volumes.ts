// Volumes in the runtime (chapter 05's store): which container uses one, and the anonymous
// volumes (`-v /data`, an image's VOLUME) that belong to one container and go with it when
// it is removed with -v or was run with --rm, as Docker's do.
import { randomBytes } from 'node:crypto';
import { Volumes } from '../../solutions/05-overlayfs/volumes.js';
import { cartonRoot } from './paths.js';
import { listContainers, type ContainerRecord, type MountSpec } from './state.js';

/** Docker's label on an anonymous volume. */
export const ANONYMOUS = 'com.docker.volume.anonymous';

export const volumeStore = (): Volumes => new Volumes(cartonRoot());

/** The name of a container (running or not) other than `except` whose record mounts the volume. */
export function volumeUser(name: string, except?: string): string | undefined {
  return listContainers().find((c) => c.id !== except && c.mounts?.some((m) => m.kind === 'volume' && m.source === name))?.name;
}

/** The host directory of the volume that `m` mounts, the volume made if it is new (an anonymous one labelled so). */
export function volumeDirectory(m: MountSpec): string {
  return volumeStore().create(m.source, m.anonymous ? { labels: { [ANONYMOUS]: '' } } : {}).mountpoint;
}

/** A new anonymous volume at `target`: a random 64-hex name, as Docker gives one. */
export function anonymousMount(target: string): MountSpec {
  return { kind: 'volume', source: randomBytes(32).toString('hex'), target, readOnly: false, anonymous: true };
}

/** Remove the container's anonymous volumes that no other container uses. */
export function removeAnonymousVolumes(record: ContainerRecord): void {
  const store = volumeStore();
  for (const m of record.mounts) {
    if (!m.anonymous || volumeUser(m.source, record.id)) continue;
    try {
      store.remove(m.source, () => false);
    } catch {
      // never created (the container never started), or removed already
    }
  }
}
