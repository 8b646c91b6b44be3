// What an image archive holds, worked out before anything is written to the store: each
// image's manifest, config and layers, found among the spilled members and checked
// against the digests that name them. Shared by the OCI and Docker archive readers.
import { openSync, readFileSync, readSync, closeSync } from 'node:fs';
import { CartonError, q } from '../../lib/sys/index.js';
import { compressionOf } from '../05-overlayfs/tar-compress.js';
import { verify } from './digest.js';
import type { Member } from './archive-tar.js';
import { MEDIA, type Descriptor, type Digest, type ImageConfig } from './types.js';

/** An image ready to be written: every blob it needs, each with the member that holds it. */
export interface PlannedImage {
  manifestDigest: Digest;
  manifest: Buffer;
  config: ImageConfig;
  blobs: Array<{ desc: Descriptor; member: Member }>;
  layers: Array<{ desc: Descriptor; diffId: Digest }>;
  names: string[];
}

export function malformed(why: string, hint = 'the archive is not one `carton save`, `docker save` or skopeo wrote, or it is damaged; nothing was loaded'): never {
  throw new CartonError(`load archive: ${why}`, hint);
}

export function member(members: Map<string, Member>, name: string, what: string): Member {
  const m = members.get(name);
  if (!m) malformed(`${what} ${q(name)} is missing`);
  return m;
}

export function readJson<T>(m: Member, what: string): T {
  if (m.size > 32 << 20) malformed(`${what} is too large for JSON (${m.size} bytes)`);
  try {
    return JSON.parse(readFileSync(m.path, 'utf8')) as T;
  } catch (e) {
    return malformed(`${what} is not JSON (${(e as Error).message})`);
  }
}

/** The member named by a descriptor's digest in an OCI layout, its bytes verified. */
export function blobMember(members: Map<string, Member>, desc: Descriptor, what: string): Member {
  const m = member(members, `blobs/sha256/${desc.digest.slice('sha256:'.length)}`, what);
  verify(desc, m, `${what} in the archive`);
  return m;
}

/** Names such as "<hex>.tar", "<hex>.json", "blobs/sha256/<hex>" promise a digest: keep the promise. */
export function checkNamedDigest(name: string, m: Member, what: string): void {
  const hex = /(?:^|\/)([0-9a-f]{64})(?:\.tar|\.json)?$/.exec(name)?.[1];
  if (hex) verify({ digest: `sha256:${hex}`, size: -1 }, m, `${what} ${q(name)}`);
}

/** A layer's media type, from the compression its first bytes show. */
export function layerMediaType(m: Member): string {
  const head = Buffer.alloc(4);
  const fd = openSync(m.path, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  const compression = compressionOf(head);
  return compression === 'gzip' ? MEDIA.ociLayerGzip : compression === 'zstd' ? MEDIA.ociLayerZstd : MEDIA.ociLayer;
}

/** The config's diff_ids must pair with the layers; an uncompressed layer's digest is its diff_id. */
export function pairLayers(config: ImageConfig, layers: Descriptor[], what: string): Array<{ desc: Descriptor; diffId: Digest }> {
  const diffIds = config.rootfs?.diff_ids;
  if (!Array.isArray(diffIds) || diffIds.length !== layers.length) {
    malformed(`${what}: the config lists ${Array.isArray(diffIds) ? diffIds.length : 'no'} diff_ids for ${layers.length} layers`);
  }
  return layers.map((desc, i) => {
    if (desc.mediaType === MEDIA.ociLayer || desc.mediaType === 'application/vnd.docker.image.rootfs.diff.tar') {
      verify({ digest: diffIds[i], size: -1 }, { digest: desc.digest, size: desc.size }, `${what} layer ${i} against its diff_id`);
    }
    return { desc, diffId: diffIds[i] };
  });
}
