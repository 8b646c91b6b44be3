// Chapter 05 — exercise: how an OCI layer spells a deletion.
import { todo } from '../../lib/todo.js';
export { isWhiteout, makeWhiteout, isOpaque, makeOpaque, lstatOrNull, OPAQUE_XATTR, OPAQUE_MARKER, WHITEOUT_PREFIX } from '../../solutions/05-overlayfs/whiteout.js';

/** The OCI whiteout for a deleted `path`: "a/b/c" → "a/b/.wh.c", "c" → ".wh.c". */
export function ociWhiteoutName(path: string): string {
  // TODO: the same directory, the name prefixed with ".wh.".
  void path;
  todo('ociWhiteoutName', 'exercises/05-overlayfs/whiteout.ts');
}
