// Chapter 05 — exercise: `docker diff`, read from the container's upper directory.
import { todo } from '../../lib/todo.js';
import { isOpaque, isWhiteout, lstatOrNull } from '../../solutions/05-overlayfs/whiteout.js';
export type { Change } from '../../solutions/05-overlayfs/diff.js';
import type { Change } from '../../solutions/05-overlayfs/diff.js';

/**
 * Walk `upper` recursively. A whiteout (isWhiteout(lstat)) is D; an entry whose path exists
 * in one of `lowers` is C, otherwise A; everything below an opaque directory (isOpaque) or
 * below an added directory is A. Paths are absolute ("/etc/hostname"), sorted.
 */
export function diffUpper(upper: string, lowers: string[]): Change[] {
  // TODO
  void isOpaque; void isWhiteout; void lstatOrNull; void upper; void lowers;
  todo('diffUpper', 'exercises/05-overlayfs/diff.ts');
}
