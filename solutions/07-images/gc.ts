// Garbage collection, mark and sweep: mark every blob and layer an image in index.json
// needs (manifest, config, layers, diff_ids), every layer a container uses, and everything
// a live pull holds a lease on; remove the rest. Runs under the store's lock.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isAlive } from './lock.js';
import type { ImageStore } from './store.js';
import type { Digest, ImageConfig, Manifest } from './types.js';

function marked(store: ImageStore, inUseLayerDirs: Set<string>): { blobs: Set<string>; layers: Set<string> } {
  const blobs = new Set<string>();
  const layers = new Set<string>([...inUseLayerDirs].map((dir) => basename(dir)));
  const hex = (d: Digest) => d.slice('sha256:'.length);
  for (const digest of new Set(store.entries().map((e) => e.manifestDigest))) {
    blobs.add(hex(digest));
    // A blob that cannot be read (a broken image, listed as such) keeps only what it names.
    const manifest = readable<Manifest>(store, digest);
    if (!manifest) continue;
    blobs.add(hex(manifest.config.digest));
    manifest.layers.forEach((l) => blobs.add(hex(l.digest)));
    readable<ImageConfig>(store, manifest.config.digest)?.rootfs?.diff_ids?.forEach((d) => layers.add(hex(d)));
  }
  const leased = store.leases.held();
  leased.blobs.forEach((d) => blobs.add(hex(d)));
  leased.layers.forEach((d) => layers.add(hex(d)));
  return { blobs, layers };
}

function readable<T>(store: ImageStore, digest: Digest): T | undefined {
  if (!store.hasBlob(digest)) return undefined;
  try {
    return store.readJson<T>(digest);
  } catch {
    return undefined;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Sweep: all unmarked blobs and layers, or only those in `only` (a failed pull's own). */
export function collect(store: ImageStore, inUseLayerDirs: Set<string>, only?: { blobs: Digest[]; layers: Digest[] }): { blobs: number; layers: number; bytes: number } {
  const keep = marked(store, inUseLayerDirs);
  const blobDir = join(store.root, 'blobs/sha256');
  const layerDir = join(store.root, 'layers');
  const blobs = only ? only.blobs.map((d) => d.slice(7)) : readdirSync(blobDir);
  const layers = only ? only.layers.map((d) => d.slice(7)) : readdirSync(layerDir).filter((n) => !n.endsWith('.json'));
  const result = { blobs: 0, layers: 0, bytes: 0 };
  for (const hex of blobs) {
    const path = join(blobDir, hex);
    if (keep.blobs.has(hex) || !existsSync(path)) continue;
    result.bytes += sizeOf(path);
    rmSync(path, { force: true });
    result.blobs++;
  }
  for (const hex of layers) {
    const path = join(layerDir, hex);
    if (keep.layers.has(hex) || !existsSync(path + '.json') && !existsSync(path)) continue;
    result.bytes += store.layerSize(`sha256:${hex}`);
    // The metadata goes first: without it the layer counts as absent, even if removing
    // the tree is interrupted.
    rmSync(path + '.json', { force: true });
    rmSync(path, { recursive: true, force: true });
    removeShiftedCopies(store, (name) => name === hex);
    result.layers++;
  }
  if (!only) {
    // Orphans: layer metadata without a tree, and tmp files of processes that died.
    for (const name of readdirSync(layerDir).filter((n) => n.endsWith('.json'))) {
      if (!existsSync(join(layerDir, basename(name, '.json')))) rmSync(join(layerDir, name), { force: true });
    }
    removeShiftedCopies(store, (name) => !existsSync(join(layerDir, name)));
    for (const name of readdirSync(join(store.root, 'tmp'))) {
      const pid = Number(name.split('.').at(-2));
      if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) rmSync(join(store.root, 'tmp', name), { recursive: true, force: true });
    }
  }
  return result;
}

/**
 * --userns=private on a filesystem without idmapped mounts keeps copies of layers shifted
 * into a range (lib/runtime/shifted-layers.ts): shifted/<range>/<layer>. They go with their layer.
 */
function removeShiftedCopies(store: ImageStore, gone: (layer: string) => boolean): void {
  const shifted = join(store.root, 'shifted');
  if (!existsSync(shifted)) return;
  for (const range of readdirSync(shifted)) {
    for (const name of readdirSync(join(shifted, range)).filter(gone)) rmSync(join(shifted, range, name), { recursive: true, force: true });
  }
}
