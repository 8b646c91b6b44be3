// Manifests and indexes, checked before we believe them. A registry answers with JSON
// whose kind is named by its mediaType field (or, for old Docker manifests, only by the
// Content-Type header); schema 1 manifests (signed, no config blob) are long retired.
import { CartonError } from '../../lib/sys/index.js';
import { isDigest } from './digest.js';
import { MEDIA, type Descriptor, type Index, type Manifest } from './types.js';

/** What a client accepts, best first: the Accept header of a manifest request. */
export const MANIFEST_TYPES = [MEDIA.ociIndex, MEDIA.dockerList, MEDIA.ociManifest, MEDIA.dockerManifest];

const INDEX_TYPES: string[] = [MEDIA.ociIndex, MEDIA.dockerList];
const IMAGE_TYPES: string[] = [MEDIA.ociManifest, MEDIA.dockerManifest];
const SCHEMA1 = /^application\/vnd\.docker\.distribution\.manifest\.v1\+(pretty)?jws|application\/vnd\.docker\.distribution\.manifest\.v1\+json/;

/** Layer media types carton can unpack, with their compression. */
export const LAYER_TYPES: Record<string, 'gzip' | 'zstd' | 'none'> = {
  [MEDIA.ociLayer]: 'none',
  [MEDIA.ociLayerGzip]: 'gzip',
  [MEDIA.ociLayerZstd]: 'zstd',
  [MEDIA.dockerLayerGzip]: 'gzip',
  'application/vnd.docker.image.rootfs.diff.tar': 'none',
};

export type Parsed =
  | { kind: 'index'; mediaType: string; index: Index }
  | { kind: 'manifest'; mediaType: string; manifest: Manifest };

function invalid(what: string, why: string): never {
  throw new CartonError(`parse ${what}: ${why}`, 'the registry sent something that is not an image manifest or index');
}

function checkDescriptor(d: unknown, what: string): Descriptor {
  const desc = d as Descriptor;
  if (typeof desc !== 'object' || desc === null) invalid(what, 'not an object');
  if (typeof desc.mediaType !== 'string') invalid(what, 'no mediaType');
  if (typeof desc.digest !== 'string' || !isDigest(desc.digest)) invalid(what, `bad digest ${JSON.stringify(desc.digest)}`);
  if (!Number.isSafeInteger(desc.size) || desc.size < 0) invalid(what, `bad size ${JSON.stringify(desc.size)}`);
  return desc;
}

/** Parse a manifest or index; `contentType` is the HTTP header, used when the JSON has no mediaType. */
export function parseManifest(data: Buffer | string, contentType?: string): Parsed {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(data.toString()) as Record<string, unknown>;
  } catch (e) {
    return invalid('manifest', `not JSON (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null) invalid('manifest', 'not a JSON object');
  const header = contentType?.split(';')[0].trim();
  const mediaType = typeof json.mediaType === 'string' ? json.mediaType : header && header !== 'application/json' ? header : undefined;
  if (json.schemaVersion === 1 || (mediaType && SCHEMA1.test(mediaType))) {
    throw new CartonError('parse manifest: Docker image manifest schema 1 is not supported',
      'schema 1 was deprecated in 2017; push the image again with a current client (it writes schema 2 or OCI)');
  }
  if (json.schemaVersion !== 2) invalid('manifest', `unknown schemaVersion ${JSON.stringify(json.schemaVersion)}`);
  const isIndex = mediaType ? INDEX_TYPES.includes(mediaType) : Array.isArray(json.manifests);
  if (isIndex) {
    if (!Array.isArray(json.manifests)) invalid('index', 'no manifests list');
    const index = json as unknown as Index;
    index.manifests.forEach((m, i) => checkDescriptor(m, `index manifests[${i}]`));
    return { kind: 'index', mediaType: mediaType ?? MEDIA.ociIndex, index };
  }
  if (mediaType && !IMAGE_TYPES.includes(mediaType)) {
    throw new CartonError(`parse manifest: unsupported media type ${mediaType}`, 'carton reads OCI and Docker schema 2 image manifests and indexes');
  }
  const manifest = json as unknown as Manifest;
  checkDescriptor(manifest.config, 'manifest config');
  if (!Array.isArray(manifest.layers)) invalid('manifest', 'no layers list');
  manifest.layers.forEach((l, i) => checkDescriptor(l, `manifest layers[${i}]`));
  return { kind: 'manifest', mediaType: mediaType ?? MEDIA.ociManifest, manifest };
}
