// The order of a carton container's mounts in its spec (container-spec.ts): Docker's, then the
// files of /etc carton writes, then the user's. Apart, with nothing heavy to load, because the
// stage (stage.ts) reads a spec with it too.
import type { Mount, Spec } from '../../solutions/08-oci/spec.js';

/** Docker's mounts of every container (moby's oci.DefaultSpec), as far as carton makes them. */
export const DEFAULT_MOUNTS: Mount[] = [
  { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
  { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
  { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
  { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
  { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
];

/** The files of /etc that carton writes per container and bind-mounts (etc-files.ts). */
export const ETC_FILES = ['hostname', 'hosts', 'resolv.conf'];

/** The spec's mounts that the user asked for (-v, --mount, --tmpfs, the image's VOLUMEs): after Docker's and the /etc files. */
export const userMountsOf = (spec: Spec): Mount[] => (spec.mounts ?? []).slice(DEFAULT_MOUNTS.length + ETC_FILES.length);

