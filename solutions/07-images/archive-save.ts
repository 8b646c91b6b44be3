// `carton save`: images as one tarball in the format Docker 25+ writes, which both Docker
// and OCI tools read: an OCI image layout (oci-layout, index.json, blobs/sha256/<hex>)
// plus Docker's manifest.json and legacy `repositories`, whose layer paths point at the
// same blobs. Layers are the blobs as they are (compressed as they were pulled), so the
// image keeps its digests, and its id, on the other side.
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { CartonError, q } from '../../lib/sys/index.js';
import { TarWriter } from './archive-tar.js';
import { CONTAINERD_NAME, OCI_REF_NAME } from './archive-oci.js';
import { fullName, shortName } from './lookup.js';
import type { ImageStore } from './store.js';
import { MEDIA, type Descriptor, type Digest, type ImageInfo, type Index } from './types.js';

const hex = (d: Digest) => d.slice('sha256:'.length);
const blob = (d: Digest) => `blobs/sha256/${hex(d)}`;

/** Each image `refs` names, with the names to save it under (none when named by id). */
function resolve(store: ImageStore, refs: string[]): Array<{ image: ImageInfo; names: string[] }> {
  const out: Array<{ image: ImageInfo; names: string[] }> = [];
  for (const ref of refs) {
    const image = store.find(ref);
    if (!image) throw new CartonError(`save image ${ref}: no such image`, 'see `carton images`');
    let name: string | undefined;
    try {
      name = fullName(ref);
    } catch {
      name = undefined;
    }
    const saved = out.find((o) => o.image.manifestDigest === image.manifestDigest) ?? out[out.push({ image, names: [] }) - 1];
    if (name && image.names.includes(name) && !saved.names.includes(name)) saved.names.push(name);
  }
  return out;
}


/**
 * Write a file whole or not at all: into `<path>.carton-tmp`, renamed over `path` once
 * `write` has finished; on failure the temporary file is removed and the error goes on.
 */
export async function writeFileWhole(path: string, write: (out: Writable) => Promise<void>): Promise<void> {
  const tmp = `${path}.carton-tmp`;
  const file = createWriteStream(tmp, { mode: 0o644 });
  try {
    await write(file);
    file.end();
    await finished(file);
    renameSync(tmp, path);
  } catch (e) {
    file.destroy();
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Write the images `refs` name to `out` (a stream, or a file written whole then renamed). */
export async function saveImages(store: ImageStore, refs: string[], out: Writable | string): Promise<void> {
  if (refs.length === 0) throw new CartonError('save images: no image named', 'name at least one image: carton save -o FILE IMAGE…');
  const images = resolve(store, refs);
  if (typeof out === 'string') {
    try {
      await writeFileWhole(out, (file) => writeArchive(store, images, file));
    } catch (e) {
      throw new CartonError(`save images to ${q(out)}: ${(e as Error).message}`, (e as CartonError).hint);
    }
    return;
  }
  await writeArchive(store, images, out);
}

async function writeArchive(store: ImageStore, images: Array<{ image: ImageInfo; names: string[] }>, out: Writable): Promise<void> {
  const tar = new TarWriter(out);
  await tar.dir('blobs');
  await tar.dir('blobs/sha256');
  const written = new Set<Digest>();
  const index: Index = { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: [] };
  const dockerManifest: Array<{ Config: string; RepoTags: string[] | null; Layers: string[] }> = [];
  const repositories: Record<string, Record<string, string>> = {};
  for (const { image, names } of images) {
    for (const d of [image.manifestDigest, image.manifest.config.digest, ...image.manifest.layers.map((l) => l.digest)]) {
      if (written.has(d)) continue;
      await tar.file(blob(d), store.blobPath(d));
      written.add(d);
    }
    const desc: Descriptor = { mediaType: image.manifest.mediaType ?? MEDIA.ociManifest, digest: image.manifestDigest, size: store.readBlob(image.manifestDigest).length };
    if (names.length === 0) index.manifests.push(desc);
    for (const name of names) {
      const [repo, tag] = shortName(name);
      index.manifests.push({ ...desc, annotations: { [CONTAINERD_NAME]: name, [OCI_REF_NAME]: tag } });
      const top = image.manifest.layers.at(-1);
      if (top) (repositories[repo] ??= {})[tag] = hex(top.digest);
    }
    dockerManifest.push({
      Config: blob(image.manifest.config.digest),
      RepoTags: names.length ? names.map((n) => shortName(n).join(':')) : null,
      Layers: image.manifest.layers.map((l) => blob(l.digest)),
    });
  }
  await tar.buffer('index.json', JSON.stringify(index) + '\n');
  await tar.buffer('manifest.json', JSON.stringify(dockerManifest) + '\n');
  await tar.buffer('oci-layout', JSON.stringify({ imageLayoutVersion: '1.0.0' }) + '\n');
  if (Object.keys(repositories).length) await tar.buffer('repositories', JSON.stringify(repositories) + '\n');
  await tar.end();
}
