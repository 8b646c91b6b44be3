// carton push: send an image of the store to a registry. Blobs first, each only if the
// repository lacks it (HEAD), uploaded in one PUT that the registry checks against the
// digest; the manifest last, under the tag. A push that fails half-way leaves blobs no tag
// points at (the registry's gc removes them), never a tag whose blobs are missing.
import { createReadStream } from 'node:fs';
import { CartonError } from '../../lib/sys/index.js';
import { formatReference, parseReference, repoName } from './reference.js';
import { DigestMismatchError } from './digest.js';
import { Registry } from './registry.js';
import { RegistryError } from './registry-error.js';
import { credentialsFor, defaultAuthFile, type Credentials } from './credentials.js';
import type { ImageStore } from './store.js';
import { MEDIA, type Descriptor, type Digest, type Progress } from './types.js';

export interface PushOptions {
  onProgress?: (p: Progress) => void;
  /** Where `carton login` saved credentials ($CARTON_ROOT/auth.json by default). */
  authFile?: string;
  /** Credentials lookup; overrides authFile. */
  credentials?: (registry: string) => Credentials | undefined;
}

export interface Pushed {
  /** The manifest's digest: the registry now serves the image as repository@digest too. */
  digest: Digest;
  /** The manifest's size in bytes. */
  size: number;
  tag: string;
}

/** A blob's bytes from the store, reported as they go. */
async function* streamed(store: ImageStore, d: Descriptor, onProgress?: (p: Progress) => void): AsyncIterable<Uint8Array> {
  let current = 0;
  for await (const chunk of createReadStream(store.blobPath(d.digest))) {
    current += (chunk as Buffer).length;
    onProgress?.({ digest: d.digest, phase: 'pushing', current, total: d.size });
    yield chunk as Buffer;
  }
}

async function pushBlob(store: ImageStore, registry: Registry, repository: string, d: Descriptor, onProgress?: (p: Progress) => void): Promise<void> {
  if (await registry.blobExists(repository, d.digest)) return onProgress?.({ digest: d.digest, phase: 'exists', current: d.size, total: d.size });
  if (!store.hasBlob(d.digest)) {
    throw new CartonError(`push blob ${d.digest}: not in the image store`, 'the image is incomplete: pull or build it again');
  }
  await registry.upload(repository, d.digest, d.size, () => streamed(store, d, onProgress));
  onProgress?.({ digest: d.digest, phase: 'pushed', current: d.size, total: d.size });
}

/** Refused for want of rights: say how to get them, for this registry. */
function withLoginHint(e: unknown, registry: string, repository: string): unknown {
  if (!(e instanceof RegistryError) || (e.status !== 401 && e.status !== 403)) return e;
  return new RegistryError(e.message, `pushing needs an account that may write to ${repository}: carton login ${registry}`, e.status, e.code);
}

// #region push
export async function push(store: ImageStore, ref: string, options: PushOptions = {}): Promise<Pushed> {
  const r = parseReference(ref);
  if (r.digest || !r.tag) throw new CartonError(`push ${ref}: a push needs a tag, not a digest`, `name the image with a tag first: carton tag IMAGE ${repoName(r)}:TAG`);
  const name = formatReference(r);
  const image = store.find(name);
  if (!image) throw new CartonError(`push ${ref}: no such image`, `name an image so first: carton tag IMAGE ${name}`);
  const credentials = options.credentials ? options.credentials(r.registry) : credentialsFor(r.registry, options.authFile ?? defaultAuthFile());
  const registry = new Registry(r.registry, { credentials });
  const data = store.readBlob(image.manifestDigest); // the manifest's own bytes: its digest is the image's name in the registry
  try {
    for (const layer of image.manifest.layers) await pushBlob(store, registry, r.repository, layer, options.onProgress);
    await pushBlob(store, registry, r.repository, image.manifest.config); // the config's progress is not shown (as Docker)
    const answered = await registry.putManifest(r.repository, r.tag, data, image.manifest.mediaType ?? MEDIA.ociManifest);
    if (answered && answered !== image.manifestDigest) throw new DigestMismatchError(`pushed manifest ${name}`, image.manifestDigest, `${answered} from the registry`);
  } catch (e) {
    throw withLoginHint(e, r.registry, r.repository);
  }
  store.addImage(image.manifestDigest, [], [`${repoName(r)}@${image.manifestDigest}`]);
  return { digest: image.manifestDigest, size: data.length, tag: r.tag };
}
// #endregion push
