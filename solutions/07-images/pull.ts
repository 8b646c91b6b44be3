// carton pull: resolve a reference to one image manifest (through an index when the tag is
// multi-platform), fetch its config and the layers the store lacks, verify every byte
// against its digest, unpack each layer once, and only then name the image. A lease keeps
// gc away from the blobs while the pull runs; if it fails, what it wrote is removed.
import { CartonError } from '../../lib/sys/index.js';
import { parseReference as parseReferenceBase, formatReference, repoName } from './reference.js';
import { selectPlatform as selectPlatformBase, parsePlatform, formatPlatform, normalizePlatform, hostPlatform } from './platform.js';
import { parseAuthChallenge } from './challenge.js';
import { parseManifest } from './manifest.js';
import { DigestMismatchError, verify } from './digest.js';
import { Registry } from './registry.js';
import { credentialsFor, defaultAuthFile, type Credentials } from './credentials.js';
import type { ImageStore } from './store.js';
import type { Lease } from './leases.js';
import type { Descriptor, Digest, ImageConfig, ImageInfo, Manifest, Platform, Progress, Reference } from './types.js';

export interface PullOptions {
  /** "linux/arm64" or a Platform; the host's by default. */
  platform?: string | Platform;
  onProgress?: (p: Progress) => void;
  /** Where `carton login` saved credentials ($CARTON_ROOT/auth.json by default). */
  authFile?: string;
  /** Credentials lookup; overrides authFile. */
  credentials?: (registry: string) => Credentials | undefined;
  /** Layers fetched at once. */
  concurrency?: number;
}

/** The functions of this chapter a pull uses: the learner's own in exercise mode. */
export interface PullSteps {
  parseReference: (ref: string) => Reference;
  selectPlatform: typeof selectPlatformBase;
  parseAuthChallenge: typeof parseAuthChallenge;
}

const defaultSteps: PullSteps = { parseReference: parseReferenceBase, selectPlatform: selectPlatformBase, parseAuthChallenge };

interface Resolved {
  manifest: Manifest;
  data: Buffer;
  /** What the user's reference points at: the index's digest for a multi-platform tag. */
  repoDigest: Digest;
}

async function resolve(registry: Registry, r: Reference, ref: string, platform: Platform | undefined, steps: PullSteps): Promise<Resolved> {
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
async function eachLimited<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

class Fetcher {
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

// #region pull
export async function pull(store: ImageStore, ref: string, options: PullOptions = {}, steps: PullSteps = defaultSteps): Promise<ImageInfo> {
  const r = steps.parseReference(ref);
  const credentials = options.credentials ? options.credentials(r.registry) : credentialsFor(r.registry, options.authFile ?? defaultAuthFile());
  const registry = new Registry(r.registry, { credentials, parseChallenge: steps.parseAuthChallenge });
  const platform = typeof options.platform === 'string' ? parsePlatform(options.platform) : options.platform;
  const lease = store.leases.create();
  const fetcher = new Fetcher(store, registry, r.repository, lease, options.onProgress);
  try {
    const { manifest, data, repoDigest } = await resolve(registry, r, ref, platform, steps);
    await fetcher.blob(manifest.config, true);
    const config = store.readJson<ImageConfig>(manifest.config.digest);
    if (platform && (config.os !== platform.os || normalizePlatform(config).architecture !== normalizePlatform(platform).architecture)) {
      throw new CartonError(`pull ${ref}: the image is for ${config.os}/${config.architecture}, not ${formatPlatform(platform)}`, 'drop --platform, or pull a tag built for that platform');
    }
    const diffIds = config.rootfs?.diff_ids ?? [];
    if (diffIds.length !== manifest.layers.length) {
      throw new DigestMismatchError(`config ${manifest.config.digest}`, `${manifest.layers.length} diff_ids (one per layer)`, `${diffIds.length}`);
    }
    await eachLimited(manifest.layers, options.concurrency ?? 3, (layer, i) => fetcher.layer(layer, diffIds[i]));
    const manifestDigest = store.putBlob(data);
    if (!fetcher.written.blobs.includes(manifestDigest)) fetcher.written.blobs.push(manifestDigest);
    const names = r.tag ? [formatReference({ ...r, digest: undefined })] : [];
    return store.addImage(manifestDigest, names, [`${repoName(r)}@${repoDigest}`]);
  } catch (e) {
    lease.release();
    store.discard(fetcher.written);
    throw e;
  } finally {
    lease.release();
  }
}
// #endregion pull
