// index.json: the store's list of images, an OCI image index. Each entry points at an
// image manifest; a named entry carries its full name in the annotation
// org.opencontainers.image.ref.name, an image with no name left has one unnamed entry
// (Docker's <none>:<none>), and pulls record the repo digest in a carton annotation.
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { readJsonFile } from '../../lib/sys/json.js';
import { join } from 'node:path';
import { MEDIA, type Descriptor, type Digest, type Index } from './types.js';

export const REF_NAME = 'org.opencontainers.image.ref.name';
export const REPO_DIGESTS = 'dev.carton.image.repo-digests';

export interface Entry {
  manifestDigest: Digest;
  size: number;
  mediaType: string;
  name?: string;
  repoDigests: string[];
}

export function readEntries(root: string): Entry[] {
  const path = join(root, 'index.json');
  if (!existsSync(path)) return [];
  const index = readJsonFile<Index>(path, 'the image index', 'restore it, or remove it: carton forgets every image name (the blobs stay until carton image prune)');
  return index.manifests.map((d) => ({
    manifestDigest: d.digest,
    size: d.size,
    mediaType: d.mediaType,
    name: d.annotations?.[REF_NAME],
    repoDigests: d.annotations?.[REPO_DIGESTS]?.split(',').filter(Boolean) ?? [],
  }));
}

/** Write index.json atomically (the caller holds the store's lock). */
export function writeEntries(root: string, entries: Entry[]): void {
  const manifests: Descriptor[] = entries.map((e) => {
    const annotations: Record<string, string> = {};
    if (e.name) annotations[REF_NAME] = e.name;
    if (e.repoDigests.length) annotations[REPO_DIGESTS] = e.repoDigests.join(',');
    return { mediaType: e.mediaType, digest: e.manifestDigest, size: e.size, ...(Object.keys(annotations).length ? { annotations } : {}) };
  });
  const index: Index = { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests };
  const tmp = join(root, 'tmp', `index.json.${process.pid}`);
  writeFileSync(tmp, JSON.stringify(index, null, 2) + '\n');
  renameSync(tmp, join(root, 'index.json'));
}

/**
 * Give `name` to the image `manifestDigest`, taking it from whichever image had it; an
 * image left without any name keeps one unnamed entry, as Docker keeps a dangling image.
 */
export function moveName(entries: Entry[], target: Omit<Entry, 'name'>, name: string | undefined): Entry[] {
  let out = entries;
  if (name) {
    const losers = new Set(out.filter((e) => e.name === name && e.manifestDigest !== target.manifestDigest).map((e) => e.manifestDigest));
    out = out.filter((e) => e.name !== name || e.manifestDigest === target.manifestDigest);
    for (const digest of losers) {
      const left = out.find((e) => e.manifestDigest === digest);
      if (!left) out.push({ ...entries.find((e) => e.manifestDigest === digest)!, name: undefined });
    }
  }
  const mine = out.filter((e) => e.manifestDigest === target.manifestDigest);
  if (name ? !mine.some((e) => e.name === name) : mine.length === 0) out.push({ ...target, name });
  // A named entry makes the unnamed one redundant.
  if (name) out = out.filter((e) => e.manifestDigest !== target.manifestDigest || e.name);
  return out;
}

/** Remove `name`; the image keeps an unnamed entry if that was its last name. */
export function dropName(entries: Entry[], name: string): Entry[] {
  const gone = entries.find((e) => e.name === name);
  if (!gone) return entries;
  const out = entries.filter((e) => e !== gone);
  if (!out.some((e) => e.manifestDigest === gone.manifestDigest)) out.push({ ...gone, name: undefined });
  return out;
}
