// A hostile layer inside an otherwise well-formed image archive: the load verifies every
// digest (the attacker computed them honestly), then unpacking refuses the layer. Nothing
// is written outside the store, nothing is named, and no blob or layer is left behind.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';
import { sha, writeOciLayout, type TestImage } from '../helpers/oci.js';
import { archive, raw } from '../05-overlayfs/craft.js';
import { ImageStore } from '@impl/07-images/index.js';
import { loadImages } from '@impl/07-images/archive.js';

describe.skipIf(!isRoot)('hostile layers in an image archive (needs root)', () => {
  let tmp: string;
  let sentinel: string;
  let store: ImageStore;
  beforeEach(() => {
    tmp = tempDir('carton-07-unpack-');
    sentinel = join(tmp, 'sentinel');
    mkdirSync(sentinel);
    store = new ImageStore(join(tmp, 'images'));
  });
  afterEach(() => {
    try {
      expect(readdirSync(sentinel)).toEqual([]);
      expect(store.list()).toEqual([]);
      expect(readdirSync(join(store.root, 'blobs/sha256'))).toEqual([]);
      expect(readdirSync(join(store.root, 'layers'))).toEqual([]);
      expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
    } finally {
      removeDir(tmp);
    }
  });

  /** An image archive (OCI layout tarball) whose one layer is `tar`, digests all correct. */
  function imageArchive(tar: Buffer, compress: boolean): string {
    const blob = compress ? gzipSync(tar) : tar;
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha(tar)] } }));
    const manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
      layers: [{ mediaType: `application/vnd.oci.image.layer.v1.tar${compress ? '+gzip' : ''}`, digest: sha(blob), size: blob.length }],
    }));
    const image: TestImage = { config, manifest, layers: [{ blob, diffId: sha(tar), mediaType: '' }], manifestDigest: sha(manifest), configDigest: sha(config) };
    const dir = join(tmp, `layout-${Math.random().toString(36).slice(2)}`);
    writeOciLayout(dir, image, 'evil:latest');
    const file = `${dir}.tar`;
    execFileSync('tar', ['-C', dir, '-cf', file, '.']);
    return file;
  }

  const cases: Array<[string, () => Buffer, RegExp]> = [
    ['a .. member', () => archive(raw({ name: '../../sentinel/x', data: 'pwned' })), /leaves the layer/],
    ['an absolute member', () => archive(raw({ name: `${sentinel}/x`, data: 'pwned' })), /absolute path/],
    ['a file through a symlink', () => archive(raw({ name: 'evil', type: '2', linkname: sentinel }), raw({ name: 'evil/x', data: 'pwned' })), /symlink/],
    ['a hard link to outside', () => archive(raw({ name: 'x', type: '1', linkname: '../../../sentinel' })), /\.\./],
  ];
  for (const [what, tar, error] of cases) {
    for (const compress of [false, true]) {
      it(`refuses ${what} (${compress ? 'gzip' : 'plain'} layer)`, async () => {
        await expect(loadImages(store, imageArchive(tar(), compress))).rejects.toThrow(error);
      });
    }
  }

  it('the same archive with a harmless layer loads (the test can tell)', async () => {
    const [info] = await loadImages(store, imageArchive(archive(raw({ name: 'ok', data: 'fine' })), true));
    expect(info.names).toEqual(['docker.io/library/evil:latest']);
    store.remove(info.id);
    store.gc(new Set());
  });
});
