// save → load round trips into a fresh store; archives written by skopeo (docker-archive:
// and oci-archive:) load; a tampered or malformed archive fails with one clear error and
// leaves nothing named and no blob or layer behind.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';
import { makeImage, sha, storeImage, writeOciLayout, type TestImage } from '../helpers/oci.js';
import { ImageStore } from '@impl/07-images/index.js';
import { loadImages, saveImages } from '@impl/07-images/archive.js';

describe.skipIf(!isRoot)('save and load (needs root: layers are unpacked with owners and devices)', () => {
  let tmp: string;
  let image: TestImage;
  beforeEach(() => {
    tmp = tempDir('carton-07-archive-');
    image = makeImage(join(tmp, 'scratch'), [{ 'etc/hostname': 'box\n', 'bin/': '' }, { 'etc/motd': 'hello\n', 'usr/share/doc/x': 'x' }], { Cmd: ['/bin/motd'] });
  });
  afterEach(() => removeDir(tmp));

  const store = (name: string) => new ImageStore(join(tmp, name));
  const blobs = (s: ImageStore) => readdirSync(join(s.root, 'blobs/sha256')).sort();
  const layers = (s: ImageStore) => readdirSync(join(s.root, 'layers')).sort();
  const tmpLeft = (s: ImageStore) => readdirSync(join(s.root, 'tmp'));
  const tarList = (file: string) => execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n');

  it('round-trips images through a Docker 25-style archive into a fresh store: same ids, layers, names', async () => {
    const a = store('a');
    await storeImage(a, image, ['demo:1.0', 'localhost:5000/team/demo:v2']);
    const other = makeImage(join(tmp, 'scratch2'), [{ 'other': 'o' }]);
    await storeImage(a, other, ['other']);
    const file = join(tmp, 'out.tar');
    await saveImages(a, ['demo:1.0', 'localhost:5000/team/demo:v2', 'other'], file);

    const names = tarList(file);
    expect(names).toEqual(expect.arrayContaining(['oci-layout', 'index.json', 'manifest.json', 'repositories', `blobs/sha256/${image.manifestDigest.slice(7)}`]));
    const index = JSON.parse(execFileSync('tar', ['-xOf', file, 'index.json'], { encoding: 'utf8' }));
    expect(index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations['io.containerd.image.name']).sort())
      .toEqual(['docker.io/library/demo:1.0', 'docker.io/library/other:latest', 'localhost:5000/team/demo:v2']);
    expect(index.manifests.find((m: { digest: string }) => m.digest === image.manifestDigest).annotations['org.opencontainers.image.ref.name']).toMatch(/^(1\.0|v2)$/);
    const manifest = JSON.parse(execFileSync('tar', ['-xOf', file, 'manifest.json'], { encoding: 'utf8' }));
    expect(manifest[0]).toEqual({
      Config: `blobs/sha256/${image.configDigest.slice(7)}`,
      RepoTags: ['demo:1.0', 'localhost:5000/team/demo:v2'],
      Layers: image.layers.map((l) => `blobs/sha256/${sha(l.blob).slice(7)}`),
    });
    // layers travel as the compressed blobs they are
    expect(execFileSync('tar', ['-xOf', file, manifest[0].Layers[0]]).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));

    const b = store('b');
    const loaded = await loadImages(b, file);
    expect(loaded.map((i) => i.id).sort()).toEqual([image.configDigest, other.configDigest].sort());
    const demo = b.find('demo:1.0')!;
    const orig = a.find('demo:1.0')!;
    expect(demo.id).toBe(orig.id);
    expect(demo.manifestDigest).toBe(orig.manifestDigest);
    expect(demo.names.sort()).toEqual(['docker.io/library/demo:1.0', 'localhost:5000/team/demo:v2']);
    expect(demo.config.rootfs.diff_ids).toEqual(image.layers.map((l) => l.diffId));
    expect(readFileSync(join(demo.layerDirs[1], 'etc/motd'), 'utf8')).toBe('hello\n');
    expect(blobs(b)).toEqual(blobs(a));
    expect(tmpLeft(b)).toEqual([]);
  });

  it('saves to a stream, by id (no name), and loads from a gzip-compressed stream', async () => {
    const a = store('a');
    await storeImage(a, image, ['demo:1.0']);
    const chunks: Buffer[] = [];
    const { PassThrough } = await import('node:stream');
    const sink = new PassThrough();
    sink.on('data', (c: Buffer) => chunks.push(c));
    await saveImages(a, [image.configDigest.slice(7, 19)], sink);
    sink.end();
    const tar = Buffer.concat(chunks);
    writeFileSync(join(tmp, 'id.tar.gz'), gzipSync(tar));
    const b = store('b');
    const [loaded] = await loadImages(b, createReadStream(join(tmp, 'id.tar.gz')));
    expect(loaded.id).toBe(image.configDigest);
    expect(loaded.names).toEqual([]);
  });

  it('loads what skopeo writes as docker-archive: (uncompressed <hex>.tar layers, symlinked layer dirs)', async () => {
    writeOciLayout(join(tmp, 'layout'), image, 'demo:1.0');
    const file = join(tmp, 'skopeo-docker.tar');
    execFileSync('skopeo', ['copy', '-q', `oci:${join(tmp, 'layout')}:demo:1.0`, `docker-archive:${file}:example.com/app/demo:1.0`]);
    const b = store('b');
    const [loaded] = await loadImages(b, file);
    expect(loaded.id).toBe(image.configDigest);
    expect(loaded.names).toEqual(['example.com/app/demo:1.0']);
    expect(loaded.manifest.layers.map((l) => l.mediaType)).toEqual(['application/vnd.oci.image.layer.v1.tar', 'application/vnd.oci.image.layer.v1.tar']);
    expect(loaded.manifest.layers.map((l) => l.digest)).toEqual(image.layers.map((l) => l.diffId));
    expect(readFileSync(join(loaded.layerDirs[0], 'etc/hostname'), 'utf8')).toBe('box\n');
    expect(readFileSync(join(loaded.layerDirs[1], 'etc/motd'), 'utf8')).toBe('hello\n');
  });

  it('loads what skopeo writes as oci-archive: (same manifest digest, name from ref.name)', async () => {
    writeOciLayout(join(tmp, 'layout'), image, 'demo:1.0');
    const file = join(tmp, 'skopeo-oci.tar');
    execFileSync('skopeo', ['copy', '-q', `oci:${join(tmp, 'layout')}:demo:1.0`, `oci-archive:${file}:demo:2.0`]);
    const [loaded] = await loadImages(store('b'), file);
    expect(loaded.manifestDigest).toBe(image.manifestDigest);
    expect(loaded.names).toEqual(['docker.io/library/demo:2.0']);
  });

  it('writes an archive skopeo reads as docker-archive: and as oci-archive:', async () => {
    const a = store('a');
    await storeImage(a, image, ['demo:1.0']);
    const file = join(tmp, 'out.tar');
    await saveImages(a, ['demo:1.0'], file);
    execFileSync('skopeo', ['copy', '-q', `docker-archive:${file}`, `oci:${join(tmp, 'via-docker')}:x`]);
    execFileSync('skopeo', ['copy', '-q', `oci-archive:${file}:1.0`, `oci:${join(tmp, 'via-oci')}:y`]);
    const index = JSON.parse(readFileSync(join(tmp, 'via-oci/index.json'), 'utf8'));
    expect(index.manifests[0].digest).toBe(image.manifestDigest);
    const config = JSON.parse(execFileSync('skopeo', ['inspect', '--config', `docker-archive:${file}`], { encoding: 'utf8' }));
    expect(config.config.Cmd).toEqual(['/bin/motd']);
  });

  describe('broken archives load nothing', () => {
    let file: string;
    let b: ImageStore;
    beforeEach(async () => {
      const a = store('a');
      await storeImage(a, image, ['demo:1.0']);
      file = join(tmp, 'good.tar');
      await saveImages(a, ['demo:1.0'], file);
      b = store('b');
    });
    afterEach(() => {
      expect(b.list()).toEqual([]);
      expect(blobs(b)).toEqual([]);
      expect(layers(b)).toEqual([]);
      expect(tmpLeft(b)).toEqual([]);
      expect(readdirSync(join(b.root, 'leases'))).toEqual([]);
    });

    /** The archive with one byte changed in the member `name`'s data. */
    const tamper = (name: string, from = 0) => {
      const tar = readFileSync(file);
      let pos = 0;
      while (pos < tar.length) {
        const member = tar.toString('utf8', pos, pos + 100).replace(/\0.*$/s, '');
        const size = parseInt(tar.toString('latin1', pos + 124, pos + 136), 8);
        if (member === name) {
          tar[pos + 512 + from] ^= 0xff;
          return tar;
        }
        pos += 512 + Math.ceil(size / 512) * 512;
      }
      throw new Error(`no member ${name}`);
    };

    it('a layer blob with a byte changed', async () => {
      const layer = `blobs/sha256/${sha(image.layers[1].blob).slice(7)}`;
      writeFileSync(join(tmp, 'bad.tar'), tamper(layer, 100));
      await expect(loadImages(b, join(tmp, 'bad.tar'))).rejects.toThrow(/verify layer 1 of manifest .* in the archive: expected sha256:/);
    });

    it('a config with a byte changed', async () => {
      writeFileSync(join(tmp, 'bad.tar'), tamper(`blobs/sha256/${image.configDigest.slice(7)}`, 5));
      await expect(loadImages(b, join(tmp, 'bad.tar'))).rejects.toThrow(/verify config of manifest/);
    });

    it('a consistent archive whose layer does not match the config\'s diff_id (found while unpacking)', async () => {
      // Rebuild the archive with a second layer whose compressed digest is right but whose
      // content is another tree: only the diff_id check can see it.
      const evil = makeImage(join(tmp, 'scratch3'), [{ 'etc/hostname': 'box\n', 'bin/': '' }, { 'etc/motd': 'EVIL\n' }]);
      const config = JSON.parse(image.config.toString());
      const lying = { ...evil, config: Buffer.from(JSON.stringify(config)) };
      lying.configDigest = sha(lying.config);
      const manifest = JSON.parse(evil.manifest.toString());
      manifest.config = { ...manifest.config, digest: lying.configDigest, size: lying.config.length };
      lying.manifest = Buffer.from(JSON.stringify(manifest));
      lying.manifestDigest = sha(lying.manifest);
      writeOciLayout(join(tmp, 'lying'), lying, 'demo:1.0');
      execFileSync('tar', ['-C', join(tmp, 'lying'), '-cf', join(tmp, 'bad.tar'), '.']);
      await expect(loadImages(b, join(tmp, 'bad.tar'))).rejects.toThrow(/verify diff_id of layer/);
    });

    it('a truncated archive, garbage, and a tarball that is no image', async () => {
      const tar = readFileSync(file);
      writeFileSync(join(tmp, 'cut.tar'), tar.subarray(0, tar.length - 3000));
      await expect(loadImages(b, join(tmp, 'cut.tar'))).rejects.toThrow(/unexpected end|missing/);
      writeFileSync(join(tmp, 'junk.tar'), Buffer.alloc(5000, 0x41));
      await expect(loadImages(b, join(tmp, 'junk.tar'))).rejects.toThrow(/checksum/);
      execFileSync('tar', ['-C', join(tmp, 'scratch'), '-cf', join(tmp, 'plain.tar'), '.']);
      await expect(loadImages(b, join(tmp, 'plain.tar'))).rejects.toThrow(/neither index.json nor manifest.json/);
      await expect(loadImages(b, join(tmp, 'missing.tar'))).rejects.toThrow(/missing\.tar.*ENOENT|ENOENT/);
    });

    it('a member named with .. or an absolute path', async () => {
      const { archive, raw } = await import('../05-overlayfs/craft.js');
      writeFileSync(join(tmp, 'evil.tar'), archive(raw({ name: '../index.json', data: '{}' })));
      await expect(loadImages(b, join(tmp, 'evil.tar'))).rejects.toThrow(/load archive member `\.\.\/index\.json`: path leaves the archive/);
      writeFileSync(join(tmp, 'evil.tar'), archive(raw({ name: '/etc/passwd', data: 'x' })));
      await expect(loadImages(b, join(tmp, 'evil.tar'))).rejects.toThrow(/absolute path/);
      expect(existsSync(join(b.root, 'index.json'))).toBe(false);
    });
  });
});
