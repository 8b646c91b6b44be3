// Images for tests, made here without the code under test: layer tarballs by GNU tar from
// small trees, configs and manifests as JSON, written either as an OCI image layout
// directory (for skopeo) or straight into an image store.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const sha = (data: Buffer | string) => 'sha256:' + createHash('sha256').update(data).digest('hex');

/** A tree of files: path → content (a directory for paths ending in "/"). */
export type Tree = Record<string, string>;

export function writeTree(dir: string, tree: Tree): void {
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(tree)) {
    if (path.endsWith('/')) mkdirSync(join(dir, path), { recursive: true });
    else {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
  }
}

/** An uncompressed layer tarball of `dir`, made by GNU tar, reproducibly. */
export function tarOfDir(dir: string): Buffer {
  return execFileSync('tar', ['-C', dir, '--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--format=pax', '--pax-option=delete=atime,delete=ctime', '-cf', '-', '.'], { maxBuffer: 1 << 28 });
}

export interface TestImage {
  config: Buffer;
  manifest: Buffer;
  /** Layers as stored (gzip), with their diff_ids. */
  layers: Array<{ blob: Buffer; diffId: string; mediaType: string }>;
  manifestDigest: string;
  configDigest: string;
}

/** An image of the given trees (lowest first), each layer gzip-compressed. */
export function makeImage(scratch: string, trees: Tree[], config: Record<string, unknown> = {}): TestImage {
  const layers = trees.map((tree, i) => {
    const dir = join(scratch, `tree-${i}-${Math.random().toString(36).slice(2)}`);
    writeTree(dir, tree);
    const tar = tarOfDir(dir);
    return { blob: gzipSync(tar), diffId: sha(tar), mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' };
  });
  const configJson = Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', created: '2024-01-01T00:00:00Z',
    config: { Cmd: ['/bin/sh'], Env: ['PATH=/usr/bin:/bin'] , ...config },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((_, i) => ({ created: '2024-01-01T00:00:00Z', created_by: `layer ${i}` })),
  }));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(configJson), size: configJson.length },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: sha(l.blob), size: l.blob.length })),
  }));
  return { config: configJson, manifest, layers, manifestDigest: sha(manifest), configDigest: sha(configJson) };
}

/** Write `image` as an OCI image layout in `dir`, named `refName` (for skopeo's oci:DIR:REF). */
export function writeOciLayout(dir: string, image: TestImage, refName: string): void {
  mkdirSync(join(dir, 'blobs/sha256'), { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  for (const data of [image.config, image.manifest, ...image.layers.map((l) => l.blob)]) {
    writeFileSync(join(dir, 'blobs/sha256', sha(data).slice(7)), data);
  }
  writeFileSync(join(dir, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image.manifestDigest, size: image.manifest.length, annotations: { 'org.opencontainers.image.ref.name': refName } }],
  }));
}

/** What an image store must offer to receive a test image. */
interface Store {
  putBlob(data: Buffer | string): string;
  unpack(layer: { mediaType: string; digest: string; size: number }, diffId?: string): Promise<unknown>;
  addImage(manifestDigest: string, names: string[]): unknown;
}

/** Put `image` into `store` under `names`, layers unpacked. */
export async function storeImage(store: Store, image: TestImage, names: string[]): Promise<void> {
  for (const layer of image.layers) {
    store.putBlob(layer.blob);
    await store.unpack({ mediaType: layer.mediaType, digest: sha(layer.blob), size: layer.blob.length }, layer.diffId);
  }
  store.putBlob(image.config);
  store.putBlob(image.manifest);
  store.addImage(image.manifestDigest, names);
}
