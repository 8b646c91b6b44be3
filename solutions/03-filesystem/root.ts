// Chapter 03 — the stage's whole filesystem sequence: from a private copy of the host's
// mount table to a root that is the container's entire world.
import { join } from 'node:path';
import * as sys from '../../lib/sys/index.js';
import { createDeviceNodes, mountDev } from './dev.js';
import { bindFile, bindRootfs, makeMountsPrivate, maskPaths, mountProc, mountSys } from './mounts.js';
import { pivotInto } from './pivot.js';

/** What later chapters add to the sequence; each has its place in it. */
export interface RootSteps {
  /** Files of the container's own (its /etc/hosts, …): path inside the root → file on the host. */
  etcFiles: Record<string, string>;
  /** Mount the root itself (chapter 05: the overlay). Without it, the rootfs is bind-mounted onto itself. */
  mountRoot?: (root: string) => void;
  /** Bind `source` over `target` (a path inside the root); chapter 09 resolves it without following the image's symlinks. */
  bindInRoot?: (source: string, target: string) => void;
  /** Once /proc, /sys, /dev and the files are in place, before anything is masked: volumes, say. */
  beforeMasks?: (root: string) => void;
  /** Make the device nodes in <root>/dev (chapter 09's user namespaces bind the host's); createDeviceNodes without it. */
  deviceNodes?: (dev: string) => void;
  /** Leave the masked and read-only paths as they are (--privileged). */
  unmasked?: boolean;
  /** Flags for one last remount of the root (sys.MS_RDONLY for --read-only, sys.MS_NODEV). */
  rootFlags?: number;
}

// #region setUpRoot
export function setUpRoot(root: string, steps: RootSteps): void {
  makeMountsPrivate();
  (steps.mountRoot ?? bindRootfs)(root);
  mountProc(root);
  mountSys(root);
  mountDev(root);
  (steps.deviceNodes ?? createDeviceNodes)(join(root, 'dev'));
  for (const [target, source] of Object.entries(steps.etcFiles)) {
    if (steps.bindInRoot) steps.bindInRoot(source, target);
    else bindFile(source, join(root, target));
  }
  steps.beforeMasks?.(root);
  if (!steps.unmasked) maskPaths(root);
  if (steps.rootFlags) sys.mount(null, root, null, sys.MS_BIND | sys.MS_REMOUNT | steps.rootFlags);
  pivotInto(root);
}
// #endregion setUpRoot
