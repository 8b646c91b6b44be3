// Chapter 01 — chroot: the public surface the runtime and the tests use.
export { enterRoot } from './chroot.js';
export { escapeChroot } from './escape.js';
export { execProgram, lookPath, ExecError } from './exec.js';
export { makeRootfs, parseLdd, findStaticBusybox, isStaticElf } from './rootfs.js';
