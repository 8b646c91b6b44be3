// The image store without a registry: names that move, the ways to find an image, gc,
// and failures that must leave nothing behind (bad diff_id, short or long blobs, a dead
// process's lock).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { ImageStore, sha256, MEDIA, DigestMismatchError, type Descriptor } from '@impl/07-images/index.js';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';
import { tarMember, tarOf } from '../05-overlayfs/helpers.js';

let dir: string;
let store: ImageStore;
beforeEach(() => {
  dir = tempDir('carton-store-');
  store = new ImageStore(join(dir, 'images'));
});
afterEach(() => removeDir(dir));

/** A one-layer image whose layer holds one file; returns its manifest digest. */
async function image(content: string): Promise<{ manifest: string; config: string; layer: Descriptor; diffId: string }> {
  const tar = tarOf(tarMember('etc/', { type: '5', mode: 0o755 }), tarMember('etc/file', { data: content }));
  const gz = gzipSync(tar);
  const layer = { mediaType: MEDIA.ociLayerGzip, digest: sha256(gz), size: gz.length };
  await store.ingest(layer, [gz]);
  await store.unpack(layer, sha256(tar));
  const configJson = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(tar)] } });
  const config = store.putBlob(configJson);
  const manifest = store.putBlob(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociManifest, config: { mediaType: MEDIA.ociConfig, digest: config, size: Buffer.byteLength(configJson) }, layers: [layer] }));
  return { manifest, config, layer, diffId: sha256(tar) };
}

describe.skipIf(!isRoot)('ImageStore', () => {
  it('moves a name to a new image and keeps the old one, dangling', async () => {
    const a = await image('a');
    const b = await image('b');
    store.addImage(a.manifest, ['app:1', 'app:stable']);
    store.addImage(b.manifest, ['docker.io/library/app:1']);
    expect(store.find('app:1')?.id).toBe(b.config);
    expect(store.find('app')).toBeUndefined(); // app:latest
    expect(store.find('app:stable')?.names).toEqual(['docker.io/library/app:stable']);
    store.untag('app:stable');
    expect(store.list().map((i) => [i.id, i.names]).sort()).toEqual([[a.config, []], [b.config, ['docker.io/library/app:1']]].sort());
    expect(store.find(a.config)?.manifestDigest).toBe(a.manifest);
    expect(store.find(a.config.slice(7, 13))?.id).toBe(a.config);
    store.tag(a.config.slice(7, 19), 'localhost:5000/x');
    expect(store.find('localhost:5000/x:latest')?.id).toBe(a.config);
    expect(store.find('localhost:5000/x')?.size).toBe(1);
    expect(() => store.untag('nothing:here')).toThrow(/untag nothing:here: no such image name/);
  });

  it('finds by repo digest, and removes an image with all its names', async () => {
    const a = await image('a');
    store.addImage(a.manifest, ['localhost:5000/app:1'], [`localhost:5000/app@${a.manifest}`]);
    expect(store.find(`localhost:5000/app@${a.manifest}`)?.id).toBe(a.config);
    expect(store.find(`localhost:5000/other@${a.manifest}`)).toBeUndefined();
    store.remove(a.config);
    expect(store.list()).toEqual([]);
    expect(() => store.remove(a.config)).toThrow(/no such image/);
  });

  it('gc removes what no image and no container uses', async () => {
    const a = await image('a');
    const b = await image('b');
    store.addImage(a.manifest, ['a']);
    const inUse = new Set([store.layerDir(b.diffId)]);
    const result = store.gc(inUse);
    expect(result.blobs).toBe(3); // b's manifest, config and layer blob
    expect(result.layers).toBe(0); // b's layer dir: a container uses it
    expect(existsSync(store.layerDir(b.diffId))).toBe(true);
    expect(store.gc(new Set()).layers).toBe(1);
    expect(existsSync(store.layerDir(b.diffId))).toBe(false);
    expect(store.find('a')?.layerDirs.every((d) => existsSync(d))).toBe(true);
  });

  it('a layer whose diff_id does not match leaves no directory', async () => {
    const tar = tarOf(tarMember('f', { data: 'x' }));
    const gz = gzipSync(tar);
    const layer = { mediaType: MEDIA.ociLayerGzip, digest: sha256(gz), size: gz.length };
    await store.ingest(layer, [gz]);
    const wrong = sha256('not this');
    await expect(store.unpack(layer, wrong)).rejects.toThrow(DigestMismatchError);
    expect(readdirSync(join(store.root, 'layers'))).toEqual([]);
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
  });

  it('refuses blobs that are shorter or longer than their descriptor, keeping nothing', async () => {
    const data = Buffer.from('hello');
    await expect(store.ingest({ mediaType: 'x', digest: sha256(data), size: 6 }, [data])).rejects.toThrow(/expected 6 bytes, got 5 bytes/);
    await expect(store.ingest({ mediaType: 'x', digest: sha256(data), size: 4 }, [data])).rejects.toThrow(/expected 4 bytes/);
    expect(readdirSync(join(store.root, 'blobs/sha256'))).toEqual([]);
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
  });

  it('breaks the lock of a process that died', () => {
    const dead = spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim();
    writeFileSync(join(store.root, 'lock'), `${dead} 1\n`);
    expect(store.withLock(() => 42)).toBe(42);
    expect(existsSync(join(store.root, 'lock'))).toBe(false);
  });

  it('breaks at once an empty lock (a writer killed between creating and writing it)', () => {
    writeFileSync(join(store.root, 'lock'), '');
    expect(store.withLock(() => 43)).toBe(43);
    expect(existsSync(join(store.root, 'lock'))).toBe(false);
  });
});

describe.skipIf(!isRoot)('the store is an OCI image layout (why image names stay in index.json, not in the state database)', () => {
  it('other tools read carton\'s images and names as they are: skopeo copies one out by its name, umoci lists the names', async () => {
    const a = await image('layout');
    store.addImage(a.manifest, ['app:1']);
    const raw = spawnSync('skopeo', ['inspect', '--raw', `oci:${store.root}:docker.io/library/app:1`], { encoding: 'utf8' });
    expect(raw.stderr).toBe('');
    expect(sha256(raw.stdout)).toBe(a.manifest);
    const copy = spawnSync('skopeo', ['copy', '-q', `oci:${store.root}:docker.io/library/app:1`, `dir:${join(dir, 'copied')}`], { encoding: 'utf8' });
    expect([copy.status, copy.stderr]).toEqual([0, '']);
    expect(readdirSync(join(dir, 'copied'))).toEqual(expect.arrayContaining([a.layer.digest.slice(7), a.config.slice(7), 'manifest.json']));
    const ls = spawnSync('umoci', ['ls', '--layout', store.root], { encoding: 'utf8' });
    expect([ls.status, ls.stdout.trim().split('\n')]).toEqual([0, ['docker.io/library/app:1']]);
  });
});
