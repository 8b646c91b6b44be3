// Pulling from a real registry (docker-registry on 127.0.0.1) images that skopeo pushed:
// digests as built, nothing downloaded twice, platforms from an index, corrupt blobs
// refused with nothing kept, missing tags named, two processes pulling at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImageStore, pull, DigestMismatchError, RegistryError, type Progress } from '@impl/07-images/index.js';
import { collect, isRoot, probe, removeDir, tempDir } from '../helpers/index.js';
import { countingProxy, type CountingProxy } from './proxy.js';
import { makeFixture, OTHER, registryBlobPath, type Fixture } from './fixture.js';

let fx: Fixture;
let proxy: CountingProxy;
const roots: string[] = [];

function newStore(): ImageStore {
  const root = tempDir('carton-store-');
  roots.push(root);
  return new ImageStore(join(root, 'images'));
}

const hexes = (dir: string) => readdirSync(dir).sort();

describe.skipIf(!isRoot)('pull from a real registry', () => {
  beforeAll(async () => {
    fx = await makeFixture();
    proxy = await countingProxy(fx.registry.port);
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await fx?.cleanup();
    roots.forEach(removeDir);
  });

  it('pulls an image with the manifest, config and layer digests skopeo pushed', async () => {
    const store = newStore();
    const built = fx.images.app.platforms[0];
    const image = await pull(store, `${fx.registry.host}/app:1`);
    expect(image.manifestDigest).toBe(built.manifestDigest);
    expect(image.id).toBe(built.configDigest);
    expect(image.manifest.layers.map((l) => l.digest)).toEqual(built.layers);
    expect(image.config.rootfs.diff_ids).toEqual(built.diffIds);
    expect(image.names).toEqual([`${fx.registry.host}/app:1`]);
    expect(image.repoDigests).toEqual([`${fx.registry.host}/app@${built.manifestDigest}`]);
    for (const d of [built.manifestDigest, built.configDigest, ...built.layers]) expect(store.hasBlob(d)).toBe(true);
    expect(image.layerDirs).toEqual(built.diffIds.map((d) => store.layerDir(d)));
    expect(existsSync(join(image.layerDirs[0], 'bin/busybox'))).toBe(true);
    expect(readFileSync(join(image.layerDirs[1], 'etc/motd'), 'utf8')).toBe('hello from layer 2\n');
    expect(image.size).toBeGreaterThan(0);
    expect(store.find('127.0.0.1:' + fx.registry.port + '/app:1')?.id).toBe(image.id);
  });

  it('downloads nothing when the image is already there, and reports the blobs as existing', async () => {
    const store = newStore();
    const ref = `${proxy.host}/app:1`;
    const before = proxy.blobGets();
    await pull(store, ref);
    expect(proxy.blobGets() - before).toBe(3); // config + 2 layers
    const progress: Progress[] = [];
    const again = await pull(store, ref, { onProgress: (p) => progress.push(p) });
    expect(proxy.blobGets() - before).toBe(3);
    expect(progress.filter((p) => p.phase === 'exists').map((p) => p.digest).sort()).toEqual(again.manifest.layers.map((l) => l.digest).sort()); // the config's progress is not shown
    // A second image sharing the base layer downloads only what it lacks.
    const multi = await pull(store, `${proxy.host}/multi:1`);
    expect(multi.layerDirs[0]).toBe(again.layerDirs[0]);
    expect(proxy.blobGets() - before).toBe(5); // its config + its top layer
  });

  it('pulls the host platform from an index, and another with a platform option', async () => {
    const store = newStore();
    const [host, other] = fx.images.multi.platforms;
    const mine = await pull(store, `${fx.registry.host}/multi:1`);
    expect(mine.manifestDigest).toBe(host.manifestDigest);
    expect(mine.repoDigests).toEqual([`${fx.registry.host}/multi@${fx.images.multi.digest}`]);
    expect(readFileSync(join(mine.layerDirs.at(-1)!, 'etc/platform'), 'utf8')).toBe('host\n');
    const theirs = await pull(store, `${fx.registry.host}/multi:1`, { platform: `${OTHER.os}/${OTHER.architecture}` });
    expect(theirs.manifestDigest).toBe(other.manifestDigest);
    expect(theirs.config.architecture).toBe(OTHER.architecture);
    expect(readFileSync(join(theirs.layerDirs[0], 'etc/platform'), 'utf8')).toBe('other\n');
    // The name moved to the last pull; the host image stays, dangling.
    expect(store.find(`${fx.registry.host}/multi:1`)?.manifestDigest).toBe(other.manifestDigest);
    expect(store.list().find((i) => i.manifestDigest === host.manifestDigest)?.names).toEqual([]);
  });

  it('names the available platforms when none matches', async () => {
    const store = newStore();
    const error = await pull(store, `${fx.registry.host}/multi:1`, { platform: 'linux/s390x' }).catch((e: Error) => e);
    expect(String(error)).toMatch(/no manifest for linux\/s390x/);
    expect((error as { hint?: string }).hint).toContain(`${OTHER.os}/${OTHER.architecture}`);
    expect(store.list()).toEqual([]);
  });

  it('unpacks a zstd-compressed layer', async () => {
    const store = newStore();
    const image = await pull(store, `${fx.registry.host}/zst:1`);
    expect(image.manifest.layers[0].mediaType).toBe('application/vnd.oci.image.layer.v1.tar+zstd');
    expect(readFileSync(join(image.layerDirs[0], 'etc/zstd'), 'utf8')).toBe('zstd layer\n');
  });

  it('pulls by digest: no tag, a repo digest', async () => {
    const store = newStore();
    const digest = fx.images.app.digest;
    const image = await pull(store, `${fx.registry.host}/app@${digest}`);
    expect(image.names).toEqual([]);
    expect(store.find(`${fx.registry.host}/app@${digest}`)?.id).toBe(image.id);
  });

  it('names a missing tag and a missing repository, and keeps nothing', async () => {
    const store = newStore();
    const tag = await pull(store, `${fx.registry.host}/app:nope`).catch((e: Error) => e);
    expect(tag).toBeInstanceOf(RegistryError);
    expect(String(tag)).toMatch(/get manifest 127\.0\.0\.1:\d+\/app:nope: HTTP 404 MANIFEST_UNKNOWN/);
    expect((tag as RegistryError).hint).toMatch(/check the name and tag/);
    const repo = await pull(store, `${fx.registry.host}/nothing/here:1`).catch((e: Error) => e);
    expect(String(repo)).toMatch(/HTTP 404 (NAME|MANIFEST)_UNKNOWN/);
    expect(store.list()).toEqual([]);
    expect(hexes(join(store.root, 'blobs/sha256'))).toEqual([]);
  });

  it('refuses a blob that does not match its digest, and keeps nothing of the pull', async () => {
    const store = newStore();
    const built = fx.images.corrupt.platforms[0];
    const blob = registryBlobPath(fx.registry, built.layers[0]);
    const good = readFileSync(blob);
    const bad = Buffer.from(good);
    bad[bad.length - 20] ^= 0xff; // same size, other bytes
    writeFileSync(blob, bad);
    try {
      const error = await pull(store, `${fx.registry.host}/corrupt:1`).catch((e: Error) => e);
      expect(error).toBeInstanceOf(DigestMismatchError);
      expect(String(error)).toContain(`expected ${built.layers[0]}`);
      expect((error as DigestMismatchError).hint).toMatch(/corrupted/);
    } finally {
      writeFileSync(blob, good);
    }
    expect(store.list()).toEqual([]);
    expect(store.find(`${fx.registry.host}/corrupt:1`)).toBeUndefined();
    expect(hexes(join(store.root, 'blobs/sha256'))).toEqual([]);
    expect(hexes(join(store.root, 'layers'))).toEqual([]);
    expect(hexes(join(store.root, 'tmp'))).toEqual([]);
    expect(hexes(join(store.root, 'leases'))).toEqual([]);
  });

  it('two processes pulling the same image at once both succeed, with one consistent store', async () => {
    const store = newStore();
    const ref = `${fx.registry.host}/app:1`;
    const runs = await Promise.all([probe('07-pull', [store.root, ref]), probe('07-pull', [store.root, ref])].map((c) => collect(c)));
    for (const run of runs) expect(run.status, run.stderr).toBe(0);
    const [a, b] = runs.map((r) => JSON.parse(r.stdout) as { manifestDigest: string; id: string });
    expect(a).toEqual(b);
    const built = fx.images.app.platforms[0];
    expect(store.list().map((i) => [i.manifestDigest, i.names])).toEqual([[built.manifestDigest, [ref]]]);
    expect(hexes(join(store.root, 'blobs/sha256'))).toEqual([built.manifestDigest, built.configDigest, ...built.layers].map((d) => d.slice(7)).sort());
    expect(hexes(join(store.root, 'layers'))).toEqual(built.diffIds.flatMap((d) => [d.slice(7), `${d.slice(7)}.json`]).sort());
    expect(hexes(join(store.root, 'tmp'))).toEqual([]);
    expect(hexes(join(store.root, 'leases'))).toEqual([]);
    expect(existsSync(join(store.root, 'lock'))).toBe(false);
    expect(store.gc(new Set())).toEqual({ blobs: 0, layers: 0, bytes: 0 });
  });
});
