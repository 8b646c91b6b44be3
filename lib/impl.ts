// The runtime side of the implementation switch (vitest.config.ts is the test side): the
// CLI and the container stage load chapter modules from solutions/ or, with
// CARTON_IMPL=exercises, from the learner's exercises/, except the chapters the learner
// skipped (lib/impl-name.ts). Same variables, same rule.
import { implFor, implName, solutionChapters } from './impl-name.js';

export const IMPL = implName(process.env.CARTON_IMPL);
/** Chapters that run the reference code although IMPL is exercises (passed on to the stage). */
export const SOLVED = IMPL === 'exercises' ? solutionChapters() : [];

// Types always come from solutions/: exercises/ has the same public surface.
type Chroot = typeof import('../solutions/01-chroot/index.js');
type Namespaces = typeof import('../solutions/02-namespaces/index.js');
type Filesystem = typeof import('../solutions/03-filesystem/index.js');
type Cgroups = typeof import('../solutions/04-cgroups/index.js');
type Overlayfs = typeof import('../solutions/05-overlayfs/index.js');
type Networking = typeof import('../solutions/06-networking/index.js');
type Images = typeof import('../solutions/07-images/index.js');
type Oci = typeof import('../solutions/08-oci/index.js');
type Security = typeof import('../solutions/09-security/index.js');
type Build = typeof import('../solutions/10-build/index.js');
type Compose = typeof import('../solutions/11-compose/index.js');

function load<T>(chapter: string): Promise<T> {
  return import(new URL(`../${implFor(chapter, IMPL, SOLVED)}/${chapter}/index.js`, import.meta.url).href) as Promise<T>;
}

export const chapter = {
  chroot: () => load<Chroot>('01-chroot'),
  namespaces: () => load<Namespaces>('02-namespaces'),
  filesystem: () => load<Filesystem>('03-filesystem'),
  cgroups: () => load<Cgroups>('04-cgroups'),
  overlayfs: () => load<Overlayfs>('05-overlayfs'),
  networking: () => load<Networking>('06-networking'),
  images: () => load<Images>('07-images'),
  oci: () => load<Oci>('08-oci'),
  security: () => load<Security>('09-security'),
  build: () => load<Build>('10-build'),
  compose: () => load<Compose>('11-compose'),
};
