// commit: a hand-made upper directory (overlay whiteouts: a 0:0 character device, the
// opaque xattr) becomes a new image whose layers, stacked by a real read-only overlay
// mount, show the changes: new and changed files, deleted files and directories gone, an
// opaque directory hiding the lower one's contents.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot, mountsUnder, removeDir, tempDir } from '../helpers/index.js';
import { makeImage, sha, storeImage, type TestImage } from '../helpers/oci.js';
import * as sys from '../../lib/sys/index.js';
import { makeOpaque, makeWhiteout } from '@impl/05-overlayfs/index.js';
import { ImageStore, type ImageInfo } from '@impl/07-images/index.js';
import { commitLayer } from '@impl/07-images/archive.js';

describe.skipIf(!isRoot)('commitLayer (needs root: whiteouts, overlay mounts)', () => {
  let tmp: string;
  let store: ImageStore;
  let image: TestImage;
  let base: ImageInfo;
  beforeEach(async () => {
    tmp = tempDir('carton-07-commit-');
    store = new ImageStore(join(tmp, 'images'));
    image = makeImage(join(tmp, 'scratch'), [
      { 'etc/hostname': 'base\n', 'etc/conf.d/a': 'a\n', 'etc/conf.d/b': 'b\n', 'bin/tool': 'tool\n', 'gone/file': 'f\n' },
      { 'usr/share/keep': 'keep\n' },
    ], { Env: ['PATH=/bin'], Cmd: ['/bin/sh'] });
    await storeImage(store, image, ['base:1']);
    base = store.find('base:1')!;
  });
  afterEach(() => {
    expect(mountsUnder(tmp)).toEqual([]);
    removeDir(tmp);
  });

  function makeUpper(): string {
    const upper = join(tmp, 'upper');
    mkdirSync(join(upper, 'etc/conf.d'), { recursive: true });
    mkdirSync(join(upper, 'bin'));
    writeFileSync(join(upper, 'etc/hostname'), 'committed\n');
    writeFileSync(join(upper, 'etc/new'), 'new\n', { mode: 0o600 });
    makeOpaque(join(upper, 'etc/conf.d'));
    writeFileSync(join(upper, 'etc/conf.d/c'), 'c\n');
    makeWhiteout(join(upper, 'bin/tool'));
    makeWhiteout(join(upper, 'gone'));
    return upper;
  }

  /** Mount the image's layers read-only (lowers only, topmost first), run `fn`, unmount. */
  function withMerged<T>(info: ImageInfo, fn: (merged: string) => T): T {
    const merged = join(tmp, 'merged');
    mkdirSync(merged, { recursive: true });
    sys.mount('overlay', merged, 'overlay', sys.MS_RDONLY, `lowerdir=${[...info.layerDirs].reverse().join(':')}`);
    try {
      return fn(merged);
    } finally {
      sys.umount2(merged, 0);
    }
  }

  it('stacks the upper dir as a new layer: changes seen, deletions gone, opaque dir hides the lower', async () => {
    const upper = makeUpper();
    const info = await commitLayer(store, base, upper, {
      ref: 'committed:2', author: 'Ann <ann@example.com>', message: 'my change', createdBy: '/bin/sh -c edit',
      changes: ['CMD ["/bin/echo", "hi"]', 'ENV A=1', 'EXPOSE 8080'],
    });
    expect(info.names).toEqual(['docker.io/library/committed:2']);
    expect(info.layerDirs.slice(0, 2)).toEqual(base.layerDirs);
    expect(info.manifest.layers.slice(0, 2).map((l) => l.digest)).toEqual(base.manifest.layers.map((l) => l.digest));
    expect(info.config.rootfs.diff_ids.slice(0, 2)).toEqual(base.config.rootfs.diff_ids);
    expect(info.config.rootfs.diff_ids).toHaveLength(3);
    expect(info.config.author).toBe('Ann <ann@example.com>');
    expect(info.config.history?.at(-1)).toMatchObject({ author: 'Ann <ann@example.com>', comment: 'my change', created_by: '/bin/sh -c edit' });
    expect(info.config.history).toHaveLength(3);
    expect(info.config.config).toMatchObject({ Cmd: ['/bin/echo', 'hi'], Env: ['PATH=/bin', 'A=1'], ExposedPorts: { '8080/tcp': {} } });

    // The layer blob is gzip, in OCI's whiteout spelling, and its tar hashes to the diff_id.
    const layer = info.manifest.layers[2];
    expect(layer.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    const blobPath = store.blobPath(layer.digest);
    expect(sha(readFileSync(blobPath))).toBe(layer.digest);
    expect(sha(execFileSync('gzip', ['-dc', blobPath], { maxBuffer: 1 << 26 }))).toBe(info.config.rootfs.diff_ids[2]);
    const names = execFileSync('tar', ['-tzf', blobPath], { encoding: 'utf8' }).split('\n');
    expect(names).toEqual(expect.arrayContaining(['bin/.wh.tool', '.wh.gone', 'etc/conf.d/.wh..wh..opq', 'etc/new', 'etc/hostname']));

    withMerged(info, (merged) => {
      expect(readFileSync(join(merged, 'etc/hostname'), 'utf8')).toBe('committed\n');
      expect(readFileSync(join(merged, 'etc/new'), 'utf8')).toBe('new\n');
      expect(readdirSync(join(merged, 'etc/conf.d'))).toEqual(['c']);
      expect(existsSync(join(merged, 'bin/tool'))).toBe(false);
      expect(readdirSync(join(merged, 'bin'))).toEqual([]);
      expect(existsSync(join(merged, 'gone'))).toBe(false);
      expect(readFileSync(join(merged, 'usr/share/keep'), 'utf8')).toBe('keep\n');
    });
    // and the base image is what it was
    withMerged(store.find('base:1')!, (merged) => {
      expect(readFileSync(join(merged, 'bin/tool'), 'utf8')).toBe('tool\n');
      expect(readdirSync(join(merged, 'etc/conf.d')).sort()).toEqual(['a', 'b']);
    });
  });

  it('commits without a base (a fresh config for this platform) and without a name', async () => {
    const upper = join(tmp, 'plain');
    mkdirSync(join(upper, 'x'), { recursive: true });
    writeFileSync(join(upper, 'x/y'), 'y\n');
    const info = await commitLayer(store, undefined, upper, { message: 'from nothing' });
    expect(info.names).toEqual([]);
    expect(info.config.os).toBe('linux');
    expect(info.config.rootfs.diff_ids).toHaveLength(1);
    expect(readFileSync(join(info.layerDirs[0], 'x/y'), 'utf8')).toBe('y\n');
    expect(store.find(info.id)?.manifestDigest).toBe(info.manifestDigest);
  });

  it('a bad --change or name fails before anything is written', async () => {
    const before = readdirSync(join(store.root, 'blobs/sha256')).sort();
    await expect(commitLayer(store, base, makeUpper(), { changes: ['FROM alpine'] })).rejects.toThrow(/parse change "FROM alpine": FROM cannot be changed here/);
    await expect(commitLayer(store, base, join(tmp, 'upper'), { ref: 'Bad Name' })).rejects.toThrow(/parse reference/);
    expect(readdirSync(join(store.root, 'blobs/sha256')).sort()).toEqual(before);
    expect(store.list()).toHaveLength(1);
  });

  it('an upper dir that cannot be read leaves nothing behind', async () => {
    const before = readdirSync(join(store.root, 'blobs/sha256')).sort();
    // (A missing upper is a container never started: an empty layer, see archive-cli.test.ts.)
    writeFileSync(join(tmp, 'not-a-directory'), 'x');
    await expect(commitLayer(store, base, join(tmp, 'not-a-directory'))).rejects.toThrow(/ENOTDIR/);
    expect(readdirSync(join(store.root, 'blobs/sha256')).sort()).toEqual(before);
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
  });
});
