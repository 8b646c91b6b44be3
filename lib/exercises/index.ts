// The ordered list of chapters and exercises: the workbook walks it, the checker proves it,
// the book links to it. Each chapter's exercises live in a file of their own here.
import type { Exercise } from './types.js';
import { chroot } from './01-chroot.js';
import { namespaces } from './02-namespaces.js';
import { filesystem } from './03-filesystem.js';
import { cgroups } from './04-cgroups.js';
import { overlayfs } from './05-overlayfs.js';
import { networking } from './06-networking.js';
import { images } from './07-images.js';
import { oci } from './08-oci.js';
import { security } from './09-security.js';
import { build } from './10-build.js';
import { compose } from './11-compose.js';

export type { Exercise } from './types.js';

export interface Chapter {
  /** Directory name under chapters/, solutions/, exercises/ and test/. */
  dir: string;
  title: string;
}

export const chapters: Chapter[] = [
  { dir: '00-doctor', title: 'Is this machine ready?' },
  { dir: '01-chroot', title: 'chroot: a new root directory' },
  { dir: '02-namespaces', title: 'Namespaces: a world of its own' },
  { dir: '03-filesystem', title: 'The container\'s filesystem: pivot_root, /proc, /dev' },
  { dir: '04-cgroups', title: 'Control groups: how much a container may use' },
  { dir: '05-overlayfs', title: 'overlayfs: layers, copy-up and volumes' },
  { dir: '06-networking', title: 'Bridge networking: an address of its own' },
  { dir: '07-images', title: 'Images: references, manifests, registries and layers' },
  { dir: '08-oci', title: 'The OCI runtime spec: one document in the middle' },
  { dir: '09-security', title: 'Security: a container that holds' },
  { dir: '10-build', title: 'Build: Dockerfiles to images' },
  { dir: '11-compose', title: 'Compose: an application of many containers' },
];

export const exercises: Exercise[] = [...chroot, ...namespaces, ...filesystem, ...cgroups, ...overlayfs, ...networking, ...images, ...oci, ...security, ...build, ...compose];

export function findExercise(name: string): Exercise | undefined {
  return exercises.find((e) => e.name === name);
}
