// Chapter 03 — exercise: the stage's whole filesystem sequence, in your own order.
import { join } from 'node:path';
import * as sys from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';
import { createDeviceNodes, mountDev } from './dev.js';
import { bindFile, bindRootfs, makeMountsPrivate, maskPaths, mountProc, mountSys } from './mounts.js';
import { pivotInto } from './pivot.js';
import type { RootSteps } from '../../solutions/03-filesystem/root.js';

export type { RootSteps } from '../../solutions/03-filesystem/root.js';

/**
 * Run in the stage, PID 1 of the container's PID namespace, in its own mount namespace (a
 * copy of the host's mount table). When it returns, `root` is `/` and the whole world of
 * this process: the container's own /proc, a read-only /sys, a /dev of its own with its
 * devices, the files of `steps.etcFiles` over the image's, the masks of "Masked and read-only
 * paths" unless `steps.unmasked`, and nothing of the host's mount table; and nothing it
 * mounted has appeared on the host. Use this chapter's functions, and each step of `steps`
 * at its place. The lesson's "How the kernel does it" says which order the kernel demands.
 */
export function setUpRoot(root: string, steps: RootSteps): void {
  // TODO
  void [join, sys, createDeviceNodes, mountDev, bindFile, bindRootfs, makeMountsPrivate, maskPaths, mountProc, mountSys, pivotInto];
  void root;
  void steps;
  todo('setUpRoot', 'exercises/03-filesystem/root.ts');
}
