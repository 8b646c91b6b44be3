// carton pull: resolve a reference to one image manifest (through an index when the tag is
// multi-platform), fetch its config and the layers the store lacks, verify every byte
// against its digest, unpack each layer once, and only then name the image. A lease keeps
// gc away from the blobs while the pull runs; if it fails, what it wrote is removed.
import { CartonError } from '../../lib/sys/index.js';
import { parseReference as parseReferenceBase, formatReference, repoName } from './reference.js';
import { selectPlatform as selectPlatformBase, parsePlatform, formatPlatform, normalizePlatform } from './platform.js';
import { parseAuthChallenge } from './challenge.js';
import { DigestMismatchError } from './digest.js';
import { Registry } from './registry.js';
import { credentialsFor, defaultAuthFile, type Credentials } from './credentials.js';
import { eachLimited, Fetcher, resolve, type PullSteps } from './fetch.js';
import type { ImageStore } from './store.js';
import type { ImageConfig, ImageInfo, Platform, Progress } from './types.js';

export type { PullSteps } from './fetch.js';

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

const defaultSteps: PullSteps = { parseReference: parseReferenceBase, selectPlatform: selectPlatformBase, parseAuthChallenge };

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
