// `docker diff` from the upper directory alone: everything the container changed is in its
// upper layer, and the lower layers tell a change (C) from an addition (A).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isOpaque, isWhiteout, lstatOrNull } from './whiteout.js';

export interface Change {
  /** A: added, C: changed, D: deleted (Docker's letters). */
  kind: 'A' | 'C' | 'D';
  /** Absolute path inside the container, e.g. /etc/hostname. */
  path: string;
}

// #region diffUpper
/**
 * Walk `upper` and classify each entry: a whiteout is a deletion (D); a path that exists in
 * a lower layer was changed (C), otherwise added (A). Everything inside an opaque directory
 * is new (A) and the directory itself changed (C). Directories on the way to a change show as
 * changed, as in docker diff. Sorted by path.
 */
export function diffUpper(upper: string, lowers: string[]): Change[] {
  const changes: Change[] = [];
  const inLower = (rel: string) => lowers.some((lower) => lstatOrNull(join(lower, rel)) !== null);

  const walk = (rel: string, hidden: boolean) => {
    for (const name of readdirSync(join(upper, rel))) {
      const child = rel ? `${rel}/${name}` : name;
      const stats = lstatOrNull(join(upper, child));
      if (!stats) continue;
      if (isWhiteout(stats)) {
        changes.push({ kind: 'D', path: '/' + child });
        continue;
      }
      const existed = !hidden && inLower(child);
      changes.push({ kind: existed ? 'C' : 'A', path: '/' + child });
      if (stats.isDirectory()) {
        const opaque = isOpaque(join(upper, child));
        walk(child, hidden || opaque || !existed);
      }
    }
  };
  walk('', false);
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
// #endregion diffUpper
