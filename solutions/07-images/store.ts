// The image store: an OCI image layout (see types.ts) plus each layer unpacked once.
// Blobs are immutable and named by digest, so concurrent writers cannot disagree about a
// file's content: each writes under tmp/ with a name of its own and renames the finished
// file into place (rename(2) is atomic; a second writer's rename just replaces equal
// bytes). Only index.json changes, and only under the lock.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { parseJsonFile, readJsonFile } from '../../lib/sys/json.js';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CartonError } from '../../lib/sys/index.js';
import { Hasher, hexOf, sha256, verify } from './digest.js';
import { treeSize, unpackTo } from './layers.js';
import { withLockFile } from './lock.js';
import { dropName, moveName, readEntries, writeEntries, type Entry } from './names.js';
import { findImage, fullName, imageInfo, type StoreReader } from './lookup.js';
import { collect } from './gc.js';
import { Leases } from './leases.js';
import type { Descriptor, Digest, ImageInfo, Manifest, ImageConfig, Progress } from './types.js';
import { MEDIA } from './types.js';

interface LayerMeta {
  size: number;
}

/** An image whose manifest or config cannot be read (a bad disk, a hand edit): listed, and removable by name or digest. */
export interface BrokenImage {
  manifestDigest: Digest;
  names: string[];
  problem: string;
}

export class ImageStore implements StoreReader {
  readonly leases: Leases;

  constructor(readonly root: string) {
    for (const dir of ['blobs/sha256', 'layers', 'tmp', 'leases']) mkdirSync(join(root, dir), { recursive: true });
    if (!existsSync(join(root, 'oci-layout'))) writeFileSync(join(root, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}\n');
    this.leases = new Leases(join(root, 'leases'));
  }

  /** A name under tmp/ no other process or call will use. */
  tmpPath(what: string): string {
    return join(this.root, 'tmp', `${what}.${process.pid}.${randomBytes(4).toString('hex')}`);
  }

  // ---- blobs -------------------------------------------------------------------------

  blobPath(d: Digest): string {
    return join(this.root, 'blobs/sha256', hexOf(d));
  }

  hasBlob(d: Digest): boolean {
    return existsSync(this.blobPath(d));
  }

  readBlob(d: Digest): Buffer {
    try {
      return readFileSync(this.blobPath(d));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new CartonError(`read blob ${d}: not in the image store`, 'pull the image again');
      throw e;
    }
  }

  readJson<T>(d: Digest): T {
    return parseJsonFile<T>(this.readBlob(d).toString(), this.blobPath(d), 'image blob', `remove the image and pull (or load) it again: carton rmi -f, then carton pull`);
  }

  /** Store bytes under their digest (atomic, idempotent). */
  putBlob(data: Buffer | string): Digest {
    const digest = sha256(data);
    if (!this.hasBlob(digest)) {
      const tmp = this.tmpPath('blob');
      writeFileSync(tmp, data, { mode: 0o644 });
      renameSync(tmp, this.blobPath(digest));
    }
    return digest;
  }

  /** Stream a blob into the store; it lands in blobs/ only if its size and digest match. */
  async ingest(expected: Descriptor, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, onProgress?: (p: Progress) => void): Promise<void> {
    const progress = (phase: Progress['phase'], current: number) => onProgress?.({ digest: expected.digest, phase, current, total: expected.size });
    if (this.hasBlob(expected.digest)) {
      // Not read. A file stream opens its file in the background even when destroyed at
      // once, and the caller removes the file when this returns: that open's ENOENT would be
      // an unhandled 'error' event, which ends the process. Nothing is wanted from it.
      if (source instanceof Readable) source.once('error', () => {}).destroy();
      return progress('exists', expected.size);
    }
    const tmp = this.tmpPath('blob');
    const out = createWriteStream(tmp, { flags: 'wx', mode: 0o644 });
    const hasher = new Hasher();
    try {
      for await (const chunk of source) {
        hasher.update(chunk);
        // A server that sends more than the descriptor says is wrong: stop reading now.
        if (hasher.size > expected.size) break;
        if (!out.write(chunk)) await once(out, 'drain');
        progress('downloading', hasher.size);
      }
      out.end();
      await finished(out);
      progress('verifying', hasher.size);
      verify(expected, { digest: hasher.digest(), size: hasher.size }, 'blob');
      renameSync(tmp, this.blobPath(expected.digest));
    } catch (e) {
      out.destroy();
      rmSync(tmp, { force: true });
      throw e;
    }
    progress('done', hasher.size);
  }

  // ---- layers ------------------------------------------------------------------------

  layerDir(diffId: Digest): string {
    return join(this.root, 'layers', hexOf(diffId));
  }

  hasLayer(diffId: Digest): boolean {
    return existsSync(this.layerDir(diffId)) && existsSync(this.layerDir(diffId) + '.json');
  }

  layerSize(diffId: Digest): number {
    try {
      return readJsonFile<LayerMeta>(this.layerDir(diffId) + '.json', 'layer record').size;
    } catch {
      return 0;
    }
  }

  /** Unpack a layer blob once per diff_id; a layer that fails leaves nothing behind. */
  async unpack(layer: Descriptor, expectedDiffId?: Digest, onProgress?: (p: Progress) => void): Promise<{ diffId: Digest; dir: string }> {
    const progress = (phase: Progress['phase']) => onProgress?.({ digest: layer.digest, phase, current: phase === 'done' ? layer.size : 0, total: layer.size });
    if (expectedDiffId && this.hasLayer(expectedDiffId)) {
      progress('done');
      return { diffId: expectedDiffId, dir: this.layerDir(expectedDiffId) };
    }
    if (!this.hasBlob(layer.digest)) throw new CartonError(`unpack layer ${layer.digest}: the blob is not in the store`, 'pull the image again');
    progress('extracting');
    const tmpDir = this.tmpPath('layer');
    try {
      const diffId = await unpackTo(this.blobPath(layer.digest), layer, tmpDir, expectedDiffId);
      const dir = this.layerDir(diffId);
      if (!this.hasLayer(diffId)) {
        const meta: LayerMeta = { size: treeSize(tmpDir) };
        const metaTmp = this.tmpPath('layer.json');
        writeFileSync(metaTmp, JSON.stringify(meta) + '\n');
        renameSync(metaTmp, dir + '.json');
        try {
          renameSync(tmpDir, dir);
        } catch (e) {
          // Another process unpacked the same layer first: keep theirs.
          const code = (e as NodeJS.ErrnoException).code;
          if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
        }
      }
      progress('done');
      return { diffId, dir };
    } finally {
      rmSync(tmpDir, { recursive: true, force: true });
    }
  }

  // ---- images ------------------------------------------------------------------------

  /** Serialise changes to index.json (and gc) between processes. */
  withLock<T>(fn: () => T): T {
    return withLockFile(join(this.root, 'lock'), fn);
  }

  entries(): Entry[] {
    return readEntries(this.root);
  }

  /** Record the image `manifestDigest` (whose blobs are in the store) under `names`. */
  addImage(manifestDigest: Digest, names: string[], repoDigests: string[] = []): ImageInfo {
    const manifest = this.readJson<Manifest>(manifestDigest);
    const full = names.map(fullName);
    const target = {
      manifestDigest,
      size: statSync(this.blobPath(manifestDigest)).size,
      mediaType: manifest.mediaType ?? MEDIA.ociManifest,
      repoDigests,
    };
    this.withLock(() => {
      let entries = this.entries();
      for (const name of full.length ? full : [undefined]) entries = moveName(entries, target, name);
      const all = new Set(entries.filter((e) => e.manifestDigest === manifestDigest).flatMap((e) => e.repoDigests).concat(repoDigests));
      for (const e of entries) if (e.manifestDigest === manifestDigest) e.repoDigests = [...all];
      writeEntries(this.root, entries);
    });
    return imageInfo(this, manifestDigest, this.entries());
  }

  /** The image a user means; one whose blobs cannot be read is an error that names the blob and says how to remove it. */
  find(refOrId: string): ImageInfo | undefined {
    return findImage(this, refOrId, this.entries());
  }

  /** Every image, each read or found broken. */
  private all(): Array<ImageInfo | BrokenImage> {
    const entries = this.entries();
    return [...new Set(entries.map((e) => e.manifestDigest))].map((d) => {
      try {
        return imageInfo(this, d, entries);
      } catch (error) {
        if (!(error instanceof CartonError)) throw error;
        const names = entries.filter((e) => e.manifestDigest === d).flatMap((e) => (e.name ? [e.name] : []));
        return { manifestDigest: d, names, problem: error.message };
      }
    });
  }

  /** The images whose blobs read; the others are broken(). */
  list(): ImageInfo[] {
    return this.all().filter((i): i is ImageInfo => !('problem' in i));
  }

  /** The images whose manifest or config cannot be read: `images` reports them, `rmi` removes them. */
  broken(): BrokenImage[] {
    return this.all().filter((i): i is BrokenImage => 'problem' in i);
  }

  /** The broken image `ref` names (a name, or its manifest digest or a prefix of it), if any. */
  findBroken(ref: string): BrokenImage | undefined {
    const broken = this.broken();
    let name: string | undefined;
    try {
      name = fullName(ref);
    } catch {
      // not a name: a digest
    }
    const hex = /^(?:sha256:)?([0-9a-f]{4,64})$/.exec(ref)?.[1];
    return broken.find((b) => (name && b.names.includes(name)) || (hex && b.manifestDigest.startsWith(`sha256:${hex}`)));
  }

  /** Give the image `source` (any name or id `find` takes) the name `target`. */
  tag(source: string, target: string): ImageInfo {
    const image = this.find(source);
    if (!image) throw new CartonError(`tag ${source}: no such image`, 'see `carton images`');
    return this.addImage(image.manifestDigest, [fullName(target)]);
  }

  /** Remove one name; an image left with no name stays, dangling (the CLI's rmi removes it). */
  untag(name: string): void {
    const full = fullName(name);
    this.withLock(() => {
      const entries = this.entries();
      if (!entries.some((e) => e.name === full)) throw new CartonError(`untag ${name}: no such image name`, 'see `carton images`');
      writeEntries(this.root, dropName(entries, full));
    });
  }

  /** Forget the image (by config id or manifest digest), all its names with it. */
  remove(id: Digest): void {
    this.withLock(() => {
      const entries = this.entries();
      // By manifest digest first: a broken image's config cannot be read to compare.
      const doomed = new Set(entries.filter((e) => e.manifestDigest === id).map((e) => e.manifestDigest));
      if (doomed.size === 0) for (const e of entries) if (this.configDigest(e.manifestDigest) === id) doomed.add(e.manifestDigest);
      if (doomed.size === 0) throw new CartonError(`remove image ${id}: no such image`, 'see `carton images`');
      writeEntries(this.root, entries.filter((e) => !doomed.has(e.manifestDigest)));
    });
  }

  configDigest(manifestDigest: Digest): Digest | undefined {
    try {
      return this.readJson<Manifest>(manifestDigest).config.digest;
    } catch {
      return undefined;
    }
  }

  readConfig(manifest: Manifest): ImageConfig {
    return this.readJson<ImageConfig>(manifest.config.digest);
  }

  /** Remove blobs and layer dirs no image, container or pull in progress uses. */
  gc(inUseLayerDirs: Set<string>): { blobs: number; layers: number; bytes: number } {
    return this.withLock(() => collect(this, inUseLayerDirs));
  }

  /** Remove what `written` names unless an image or another pull uses it (a failed pull's leftovers). */
  discard(written: { blobs: Digest[]; layers: Digest[] }): void {
    this.withLock(() => collect(this, new Set(), written));
  }
}
