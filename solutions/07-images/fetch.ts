// The parts of a pull (chapter 07's pull.ts puts them together): resolving a reference to
// one image manifest, through an index when the tag is multi-platform; fetching blobs and
// layers into the store under a lease, verified, each layer unpacked once; a bounded
// parallel loop.
import { CartonError } from '../../lib/sys/index.js';
import { formatPlatform, normalizePlatform, hostPlatform, type selectPlatform } from './platform.js';
import type { parseAuthChallenge } from './challenge.js';
import { parseManifest } from './manifest.js';
import { verify } from './digest.js';
import type { Registry } from './registry.js';
import type { ImageStore } from './store.js';
import type { Lease } from './leases.js';
import type { Descriptor, Digest, Manifest, Platform, Progress, Reference } from './types.js';

/** The functions of this chapter a pull uses: the learner's own in exercise mode. */
export interface PullSteps {
  parseReference: (ref: string) => Reference;
  selectPlatform: typeof selectPlatform;
  parseAuthChallenge: typeof parseAuthChallenge;
}

export interface Resolved {
  manifest: Manifest;
  data: Buffer;
  /** What the user's reference points at: the index's digest for a multi-platform tag. */
  repoDigest: Digest;
}

export async function resolve(registry: Registry, r: Reference, ref: string, platform: Platform | undefined, steps: PullSteps): Promise<Resolved> {
  const top = await registry.manifest(r.repository, r.digest ?? r.tag!);
  if (r.digest) verify({ digest: r.digest, size: -1 }, { digest: top.digest, size: top.data.length }, `manifest ${ref}`);
  const parsed = parseManifest(top.data, top.contentType);
  if (parsed.kind === 'manifest') return { manifest: parsed.manifest, data: top.data, repoDigest: top.digest };
  const want = platform ?? hostPlatform();
  const chosen = steps.selectPlatform(parsed.index, want);
  if (!chosen) {
    const available = parsed.index.manifests.filter((m) => m.platform && m.platform.os !== 'unknown').map((m) => formatPlatform(normalizePlatform(m.platform!)));
    throw new CartonError(`pull ${ref}: no manifest for ${formatPlatform(normalizePlatform(want))} in the index`,
      `the image is built for ${available.join(', ') || 'no named platform'}; choose one with --platform`);
  }
  const sub = await registry.manifest(r.repository, chosen.digest);
  verify(chosen, { digest: sub.digest, size: sub.data.length }, `manifest ${chosen.digest}`);
  const inner = parseManifest(sub.data, sub.contentType);
  if (inner.kind !== 'manifest') throw new CartonError(`pull ${ref}: the index entry ${chosen.digest} is another index`, 'nested indexes are not supported');
  return { manifest: inner.manifest, data: sub.data, repoDigest: top.digest };
}

/** Run `fn` on every item, at most `limit` at once; the first failure wins. */
export async function eachLimited<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export class Fetcher {
  readonly written = { blobs: [] as Digest[], layers: [] as Digest[] };
  constructor(private store: ImageStore, private registry: Registry, private repository: string, private lease: Lease, private onProgress?: (p: Progress) => void) {}

  /** A blob into the store; `quiet` for the config, whose progress nobody shows (as Docker). */
  async blob(d: Descriptor, quiet = false): Promise<void> {
    const onProgress = quiet ? undefined : this.onProgress;
    this.lease.add('blob', d.digest);
    if (this.store.hasBlob(d.digest)) return onProgress?.({ digest: d.digest, phase: 'exists', current: d.size, total: d.size });
    this.written.blobs.push(d.digest);
    await this.store.ingest(d, await this.registry.blob(this.repository, d.digest), onProgress);
  }

  async layer(d: Descriptor, diffId: Digest): Promise<void> {
    this.lease.add('layer', diffId);
    if (this.store.hasLayer(diffId) && this.store.hasBlob(d.digest)) {
      this.lease.add('blob', d.digest);
      return this.onProgress?.({ digest: d.digest, phase: 'exists', current: d.size, total: d.size });
    }
    await this.blob(d);
    if (!this.store.hasLayer(diffId)) this.written.layers.push(diffId);
    await this.store.unpack(d, diffId, this.onProgress);
  }
}

