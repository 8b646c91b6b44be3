// Finding images the ways a user names them: "alpine", "docker.io/library/alpine:latest",
// "alpine@sha256:…", a full image id "sha256:…", or the first hex digits of an id.
import { CartonError } from '../../lib/sys/index.js';
import { familiarName, formatReference, parseReference, repoName } from './reference.js';
import type { Entry } from './names.js';
import type { Digest, ImageConfig, ImageInfo, Manifest } from './types.js';

/** What lookups need from the store. */
export interface StoreReader {
  readJson<T>(d: Digest): T;
  layerDir(diffId: Digest): string;
  layerSize(diffId: Digest): number;
}

/** "alpine" → "docker.io/library/alpine:latest". */
export function fullName(name: string): string {
  return formatReference(parseReference(name));
}

/** "docker.io/library/alpine:3.20" → ["alpine", "3.20"]: a name as `carton images` shows it. */
export function shortName(name: string): [string, string] {
  const r = parseReference(name);
  return [familiarName(r), r.tag ?? 'latest'];
}

export function imageInfo(store: StoreReader, manifestDigest: Digest, entries: Entry[]): ImageInfo {
  const manifest = store.readJson<Manifest>(manifestDigest);
  const config = store.readJson<ImageConfig>(manifest.config.digest);
  const mine = entries.filter((e) => e.manifestDigest === manifestDigest);
  const diffIds = config.rootfs?.diff_ids ?? [];
  return {
    id: manifest.config.digest,
    manifestDigest,
    names: mine.flatMap((e) => (e.name ? [e.name] : [])),
    repoDigests: [...new Set(mine.flatMap((e) => e.repoDigests))],
    config,
    manifest,
    layerDirs: diffIds.map((d) => store.layerDir(d)),
    size: diffIds.reduce((sum, d) => sum + store.layerSize(d), 0),
  };
}

function byName(store: StoreReader, ref: string, entries: Entry[]): ImageInfo | undefined {
  let r;
  try {
    r = parseReference(ref);
  } catch {
    return undefined;
  }
  if (r.digest) {
    const repoDigest = `${repoName(r)}@${r.digest}`;
    const hit = entries.find((e) => e.repoDigests.includes(repoDigest))
      ?? entries.find((e) => e.manifestDigest === r.digest && e.name && repoName(parseReference(e.name)) === repoName(r));
    return hit && imageInfo(store, hit.manifestDigest, entries);
  }
  const name = formatReference(r);
  const hit = entries.find((e) => e.name === name);
  return hit && imageInfo(store, hit.manifestDigest, entries);
}

function byId(store: StoreReader, id: string, entries: Entry[]): ImageInfo | undefined {
  const m = /^(?:sha256:)?([0-9a-f]{4,64})$/.exec(id);
  if (!m) return undefined;
  // The images that read: a broken one (found by its name, or removed by rmi) is no reason to fail here.
  const images = [...new Set(entries.map((e) => e.manifestDigest))].flatMap((d) => {
    try {
      return [imageInfo(store, d, entries)];
    } catch (error) {
      if (error instanceof CartonError) return [];
      throw error;
    }
  });
  if (m[1].length === 64) return images.find((i) => i.id === `sha256:${m[1]}` || i.manifestDigest === `sha256:${m[1]}`);
  const hits = images.filter((i) => i.id.startsWith(`sha256:${m[1]}`));
  if (new Set(hits.map((i) => i.id)).size > 1) {
    throw new CartonError(`find image ${id}: the id prefix is ambiguous (${hits.length} images)`, 'give more digits of the id');
  }
  return hits[0];
}

/** The image a user means by `refOrId`: names first, then ids (as Docker does). */
export function findImage(store: StoreReader, refOrId: string, entries: Entry[]): ImageInfo | undefined {
  return byName(store, refOrId, entries) ?? byId(store, refOrId, entries);
}
