// Chapter 01 — exercise: which files does a dynamically linked program need?
import { todo } from '../../lib/todo.js';
export { makeRootfs, findStaticBusybox, isStaticElf } from '../../solutions/01-chroot/rootfs.js';

/**
 * Parse the output of `ldd PROGRAM` into the list of files to copy, in order, without
 * duplicates: the path after "=>" on library lines, and the path at the start of the
 * interpreter line. Lines without a path (linux-vdso.so.1) are skipped.
 */
export function parseLdd(output: string): string[] {
  // TODO: one regular expression per kind of line is enough.
  void output;
  todo('parseLdd', 'exercises/01-chroot/rootfs.ts');
}
