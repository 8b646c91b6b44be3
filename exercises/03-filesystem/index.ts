// Chapter 03 — the container's filesystem: the public surface the runtime and tests use.
export { makeMountsPrivate, bindRootfs, mountProc, mountSys, bindFile, maskPaths, MASKED_PATHS, READONLY_PATHS } from './mounts.js';
export { mountDev, createDeviceNodes, DEVICES } from './dev.js';
export { pivotInto } from './pivot.js';
export { setUpRoot, type RootSteps } from './root.js';
