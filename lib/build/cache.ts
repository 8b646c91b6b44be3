// The build cache: for each step, a key made of everything its result depends on (the image
// it starts from, the config at that point, the instruction as expanded, and for COPY the
// content of its sources), and the image that step made. A hit skips the step; a key whose
// image was pruned since is a miss. Kept in $CARTON_ROOT/build-cache.json.
import { createHash } from 'node:crypto';
import { readJsonFile } from '../sys/json.js';
import { rmSync } from 'node:fs';
import { writeWhole } from '../runtime/write-whole.js';
import { join } from 'node:path';
import { cartonRoot } from '../runtime/paths.js';

const file = () => join(cartonRoot(), 'build-cache.json');

function read(): Record<string, string> {
  try {
    return readJsonFile<Record<string, string>>(file(), 'the build cache index', 'remove it, or run carton builder prune: the next build starts with an empty cache');
  } catch {
    return {}; // none yet, or unreadable: the cache is only a shortcut
  }
}

export function cacheKey(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export function lookup(key: string): string | undefined {
  return read()[key];
}

export function remember(key: string, imageId: string): void {
  const all = read();
  all[key] = imageId;
  writeWhole(file(), JSON.stringify(all));
}

/**
 * The build's intermediate images, one per cached step (`images` hides them, as Docker);
 * a build's result (its key starts with "final-") is not one, tagged or not.
 */
export function cachedImages(): Set<string> {
  const all = Object.entries(read());
  const results = new Set(all.filter(([key]) => key.startsWith('final-')).map(([, id]) => id));
  return new Set(all.filter(([key, id]) => !key.startsWith('final-') && !results.has(id)).map(([, id]) => id));
}

/** Forget every step (carton builder prune, system prune): the images go with the next prune of dangling ones. */
export function clearCache(): void {
  rmSync(file(), { force: true });
}
