// The build cache: for each step, a key made of everything its result depends on (the image
// it starts from, the config at that point, the instruction as expanded, and for COPY the
// content of its sources), and the image that step made. A hit skips the step; a key whose
// image was pruned since is a miss. Kept in carton's state database (the build_cache table
// of lib/sys/state-db.ts): a step remembered by one build is one row, so two builds at once
// never lose each other's steps, as a rewritten JSON file could.
import { createHash } from 'node:crypto';
import { cartonRoot } from '../runtime/paths.js';
import { reading, transaction } from '../sys/state-db.js';

export function cacheKey(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export function lookup(key: string): string | undefined {
  return reading(cartonRoot(), undefined, (db) => (db.prepare('SELECT image FROM build_cache WHERE key = ?').get(key) as { image: string } | undefined)?.image);
}

export function remember(key: string, imageId: string): void {
  transaction(cartonRoot(), (db) => db.prepare('INSERT OR REPLACE INTO build_cache (key, image) VALUES (?, ?)').run(key, imageId));
}

/**
 * The build's intermediate images, one per cached step (`images` hides them, as Docker);
 * a build's result (its key starts with "final-") is not one, tagged or not.
 */
export function cachedImages(): Set<string> {
  const all = reading(cartonRoot(), [], (db) => db.prepare('SELECT key, image FROM build_cache').all() as unknown as Array<{ key: string; image: string }>);
  const results = new Set(all.filter((r) => r.key.startsWith('final-')).map((r) => r.image));
  return new Set(all.filter((r) => !r.key.startsWith('final-') && !results.has(r.image)).map((r) => r.image));
}

/** Forget every step (carton builder prune, system prune): the images go with the next prune of dangling ones. */
export function clearCache(): void {
  reading(cartonRoot(), undefined, () => transaction(cartonRoot(), (db) => void db.prepare('DELETE FROM build_cache').run()));
}
