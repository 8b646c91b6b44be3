// `carton load`: images from a tarball into the store. The archive is spilled to our own
// numbered files (archive-tar.ts), read as whichever format it is (OCI layout, Docker's
// manifest.json, or both as Docker 25+ writes), and every blob is checked against its
// digest before anything is written. Blobs go in through the store's verified ingest,
// layers are unpacked (each against its diff_id), and only when all of that worked are
// the images named: a failure names nothing and removes what it wrote.
import { createReadStream, rmSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { CartonError, q } from '../../lib/sys/index.js';
import { spillArchive, type Member } from './archive-tar.js';
import { malformed, type PlannedImage } from './archive-plan.js';
import { planDocker, readDockerManifest } from './archive-docker.js';
import { planOci } from './archive-oci.js';
import { fullName } from './lookup.js';
import type { Lease } from './leases.js';
import type { ImageStore } from './store.js';
import type { Digest, ImageInfo, Progress } from './types.js';

function plan(members: Map<string, Member>): PlannedImage[] {
  if (members.has('index.json')) {
    const images = planOci(members);
    // Docker 25+ writes both; its manifest.json carries the short names (RepoTags).
    if (members.has('manifest.json')) {
      for (const entry of readDockerManifest(members)) {
        const image = images.find((i) => entry.Config.endsWith(i.blobs[0].desc.digest.slice('sha256:'.length)));
        for (const tag of entry.RepoTags ?? []) if (image && !image.names.includes(tag)) image.names.push(tag);
      }
    }
    return images;
  }
  if (members.has('manifest.json')) return planDocker(members);
  return malformed('neither index.json nor manifest.json: not an image archive',
    'carton loads what `carton save`, `docker save` and `skopeo copy … docker-archive:|oci-archive:` write');
}

interface Written {
  blobs: Digest[];
  layers: Digest[];
}

async function writeImage(store: ImageStore, image: PlannedImage, lease: Lease, written: Written, onProgress?: (p: Progress) => void): Promise<void> {
  const claim = (kind: 'blob' | 'layer', digest: Digest) => {
    lease.add(kind, digest); // before writing, so that no gc takes it from under us
    (kind === 'blob' ? written.blobs : written.layers).push(digest);
  };
  for (const { desc, member } of image.blobs) {
    if (!store.hasBlob(desc.digest)) claim('blob', desc.digest);
    await store.ingest(desc, createReadStream(member.path), onProgress);
  }
  if (!store.hasBlob(image.manifestDigest)) claim('blob', image.manifestDigest);
  store.putBlob(image.manifest);
  for (const { desc, diffId } of image.layers) {
    if (!store.hasLayer(diffId)) claim('layer', diffId);
    await store.unpack(desc, diffId, onProgress);
  }
}

// #region loadImages
/** Load every image of the archive at `input` (a path or a stream; plain, gzip or zstd). */
export async function loadImages(store: ImageStore, input: string | Readable, onProgress?: (p: Progress) => void): Promise<ImageInfo[]> {
  const source = typeof input === 'string' ? input : 'stdin';
  const tmp = store.tmpPath('load');
  const lease = store.leases.create();
  const written: Written = { blobs: [], layers: [] };
  try {
    const members = await spillArchive(typeof input === 'string' ? createReadStream(input) : input, tmp);
    const images = plan(members);
    if (images.length === 0) malformed('index.json and manifest.json list no images');
    for (const image of images) image.names = image.names.map(fullName); // bad names fail before any write
    for (const image of images) await writeImage(store, image, lease, written, onProgress);
    return images.map((image) => store.addImage(image.manifestDigest, image.names));
  } catch (e) {
    lease.release();
    store.discard(written);
    if (e instanceof CartonError) throw e;
    throw new CartonError(`load archive ${q(source)}: ${(e as Error).message}`, 'nothing was loaded');
  } finally {
    lease.release();
    rmSync(tmp, { recursive: true, force: true });
  }
}
// #endregion loadImages
