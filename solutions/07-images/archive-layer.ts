// A new image of one more layer, as `carton commit` and `carton import` make it: a tar
// stream is gzip-compressed into the store (or a .tar.gz file is taken as it is) (hashed twice on the way: the tar's hash is
// the layer's diff_id, the compressed bytes' hash its digest), unpacked like a pulled
// layer, then a config and a manifest on top of the base image's, and only then a name.
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { PassThrough, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { CartonError, q } from '../../lib/sys/index.js';
import { Hasher } from './digest.js';
import { fullName } from './lookup.js';
import type { ImageStore } from './store.js';
import { MEDIA, type Descriptor, type Digest, type ImageConfig, type ImageInfo, type Manifest } from './types.js';

function hashing(hasher: Hasher): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hasher.update(chunk);
      done(null, chunk);
    },
  });
}

// Docker's media types for the same bytes, spelled as OCI's for an OCI manifest.
const OCI_TYPE: Record<string, string> = {
  [MEDIA.dockerLayerGzip]: MEDIA.ociLayerGzip,
  'application/vnd.docker.image.rootfs.diff.tar': MEDIA.ociLayer,
};

export interface NewImage {
  base?: ImageInfo;
  /** Write the layer's tar stream to `out` (without ending it). */
  produce: (out: Writable) => Promise<void>;
  /**
   * Or: a gzip-compressed tar file that is the layer as it stands (`carton import x.tar.gz`):
   * stored as the blob, not decompressed and compressed again.
   */
  gzipFile?: string;
  /** The new config, given the base's (or an empty one) and the new layer's diff_id. */
  configure: (diffId: Digest) => ImageConfig;
  ref?: string;
}

/** Build the image; on failure nothing is named and what was written is discarded. */
export async function newImage(store: ImageStore, spec: NewImage): Promise<ImageInfo> {
  const names = spec.ref ? [fullName(spec.ref)] : []; // a bad name fails before any work
  const lease = store.leases.create();
  const written = { blobs: [] as Digest[], layers: [] as Digest[] };
  const claim = (kind: 'blob' | 'layer', digest: Digest) => {
    lease.add(kind, digest);
    (kind === 'blob' ? written.blobs : written.layers).push(digest);
  };
  const tmp = store.tmpPath('layer.tar.gz');
  try {
    const diff = new Hasher();
    const blob = new Hasher();
    if (spec.gzipFile) {
      // Both digests in one read: the file's bytes, and the tar inside them.
      const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
      await pipeline(createReadStream(spec.gzipFile), hashing(blob), createGunzip(), hashing(diff), sink).catch((e: unknown) => {
        throw new CartonError(`read ${q(spec.gzipFile!)}: ${(e as Error).message}`, 'the gzip file is truncated or corrupt');
      });
    } else {
      const tar = new PassThrough();
      const done = pipeline(tar, hashing(diff), createGzip(), hashing(blob), createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
      try {
        await spec.produce(tar);
        tar.end();
      } catch (e) {
        tar.destroy(e as Error);
        await done.catch(() => {});
        throw e;
      }
      await done;
    }
    const layer: Descriptor = { mediaType: MEDIA.ociLayerGzip, digest: blob.digest(), size: blob.size };
    const diffId = diff.digest();
    if (!store.hasBlob(layer.digest)) claim('blob', layer.digest);
    await store.ingest(layer, createReadStream(spec.gzipFile ?? tmp));
    if (!store.hasLayer(diffId)) claim('layer', diffId);
    await store.unpack(layer, diffId);

    const configBytes = JSON.stringify(spec.configure(diffId));
    const config: Descriptor = { mediaType: MEDIA.ociConfig, digest: store.putBlob(configBytes), size: Buffer.byteLength(configBytes) };
    claim('blob', config.digest);
    const baseLayers = (spec.base?.manifest.layers ?? []).map((l) => ({ ...l, mediaType: OCI_TYPE[l.mediaType] ?? l.mediaType }));
    const manifest: Manifest = { schemaVersion: 2, mediaType: MEDIA.ociManifest, config, layers: [...baseLayers, layer] };
    const manifestDigest = store.putBlob(JSON.stringify(manifest));
    claim('blob', manifestDigest);
    return store.addImage(manifestDigest, names);
  } catch (e) {
    lease.release();
    store.discard(written);
    throw e;
  } finally {
    lease.release();
    rmSync(tmp, { force: true });
  }
}
