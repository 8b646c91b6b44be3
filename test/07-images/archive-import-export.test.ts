// import: a root filesystem tarball becomes a one-layer image whose unpacked layer is the
// same tree; export: a directory becomes a tarball GNU tar reads back with the same
// modes, owners, links, devices and xattrs.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, lchownSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';
import { describeTree } from '../05-overlayfs/helpers.js';
import * as sys from '../../lib/sys/index.js';
import { ImageStore } from '@impl/07-images/index.js';
import { exportDirectory, importTarball } from '@impl/07-images/archive.js';

describe.skipIf(!isRoot)('import and export (needs root: owners and devices)', () => {
  let tmp: string;
  beforeEach(() => (tmp = tempDir('carton-07-import-')));
  afterEach(() => removeDir(tmp));

  /** A root filesystem with what a tarball must keep. */
  function makeRoot(root: string): void {
    mkdirSync(join(root, 'bin'), { recursive: true });
    mkdirSync(join(root, 'home/ann'), { recursive: true });
    mkdirSync(join(root, 'dev'));
    mkdirSync(join(root, 'tmp'), { mode: 0o1777 });
    lchownSync(join(root, 'home/ann'), 1000, 1000);
    writeFileSync(join(root, 'bin/su'), 'su', { mode: 0o4755 });
    linkSync(join(root, 'bin/su'), join(root, 'bin/su-link'));
    symlinkSync('su', join(root, 'bin/sudo'));
    writeFileSync(join(root, 'home/ann/notes'), 'ann\n', { mode: 0o600 });
    lchownSync(join(root, 'home/ann/notes'), 1000, 1000);
    sys.mknod(join(root, 'dev/null'), sys.S_IFCHR | 0o666, sys.makedev(1, 3));
    execFileSync('mkfifo', [join(root, 'dev/fifo')]);
    sys.lsetxattr(join(root, 'bin/su'), 'user.carton', Buffer.from('kept'));
    utimesSync(join(root, 'bin/su'), 1_000_000, 1_000_000);
  }

  it('imports a GNU tar root filesystem as a one-layer image with the same tree', async () => {
    const root = join(tmp, 'root');
    makeRoot(root);
    execFileSync('tar', ['-C', root, '--xattrs', '-czf', join(tmp, 'root.tar.gz'), '.']);
    const store = new ImageStore(join(tmp, 'images'));
    const info = await importTarball(store, join(tmp, 'root.tar.gz'), { ref: 'imported:1', changes: ['CMD ["/bin/su"]', 'WORKDIR /home/ann'], message: 'hand made' });
    expect(info.names).toEqual(['docker.io/library/imported:1']);
    expect(info.manifest.layers).toHaveLength(1);
    expect(info.config.config).toMatchObject({ Cmd: ['/bin/su'], WorkingDir: '/home/ann' });
    expect(info.config.history).toEqual([{ created: info.config.created, comment: 'hand made' }]);
    expect(info.config.os).toBe('linux');
    expect(describeTree(info.layerDirs[0])).toEqual(describeTree(root));
    expect(lstatSync(join(info.layerDirs[0], 'bin/su')).ino).toBe(lstatSync(join(info.layerDirs[0], 'bin/su-link')).ino);
    expect(sys.lgetxattr(join(info.layerDirs[0], 'bin/su'), 'user.carton')?.toString()).toBe('kept');
    // A .tar.gz is the layer as it stands: its bytes are the blob, not compressed again;
    // the diff_id is the hash of the tar inside.
    const file = readFileSync(join(tmp, 'root.tar.gz'));
    expect(info.manifest.layers[0]).toMatchObject({ digest: `sha256:${createHash('sha256').update(file).digest('hex')}`, size: file.length });
    expect(info.config.rootfs.diff_ids).toEqual([`sha256:${createHash('sha256').update(gunzipSync(file)).digest('hex')}`]);
  });

  it('a .tar.gz whose gzip is corrupt fails and leaves nothing in the store', async () => {
    const root = join(tmp, 'root');
    makeRoot(root);
    execFileSync('tar', ['-C', root, '-czf', join(tmp, 'root.tar.gz'), '.']);
    const bytes = readFileSync(join(tmp, 'root.tar.gz'));
    writeFileSync(join(tmp, 'cut.tar.gz'), bytes.subarray(0, bytes.length - 40)); // its end cut off
    const store = new ImageStore(join(tmp, 'images'));
    await expect(importTarball(store, join(tmp, 'cut.tar.gz'), { ref: 'cut' })).rejects.toThrow(/unexpected end of file/);
    expect(store.list()).toEqual([]);
    expect(readdirSync(join(store.root, 'blobs/sha256'))).toEqual([]);
    expect(readdirSync(join(store.root, 'layers'))).toEqual([]);
  });

  it('imports from a stream (zstd), and a default history comment names the source', async () => {
    const root = join(tmp, 'root');
    makeRoot(root);
    execFileSync('tar', ['-C', root, '--zstd', '-cf', join(tmp, 'root.tar.zst'), '.']);
    const store = new ImageStore(join(tmp, 'images'));
    const info = await importTarball(store, createReadStream(join(tmp, 'root.tar.zst')));
    expect(info.names).toEqual([]);
    expect(info.config.history?.[0].comment).toBe('Imported from -');
    expect(describeTree(info.layerDirs[0])).toEqual(describeTree(root));
  });

  it('a tarball that is not one fails and leaves nothing in the store', async () => {
    writeFileSync(join(tmp, 'junk.tar'), Buffer.alloc(3000, 0x42));
    const store = new ImageStore(join(tmp, 'images'));
    await expect(importTarball(store, join(tmp, 'junk.tar'), { ref: 'junk' })).rejects.toThrow(/checksum/);
    expect(store.list()).toEqual([]);
    expect(readdirSync(join(store.root, 'blobs/sha256'))).toEqual([]);
    expect(readdirSync(join(store.root, 'layers'))).toEqual([]);
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
  });

  it('exports a directory as a tarball GNU tar extracts to the same tree', async () => {
    const root = join(tmp, 'root');
    makeRoot(root);
    const file = join(tmp, 'export.tar');
    const out = createWriteStream(file);
    await exportDirectory(root, out);
    out.end();
    await finished(out);
    const listing = execFileSync('tar', ['-tvf', file], { encoding: 'utf8' });
    expect(listing).toMatch(/^-rwsr-xr-x 0\/0 .* bin\/su$/m);
    expect(listing).toMatch(/^hrwsr-xr-x 0\/0 .* bin\/su-link link to bin\/su$/m);
    expect(listing).toMatch(/^lrwxrwxrwx 0\/0 .* bin\/sudo -> su$/m);
    expect(listing).toMatch(/^c[rw-]{9} 0\/0 +1,3 .* dev\/null$/m);
    expect(listing).toMatch(/^-rw------- 1000\/1000 .* home\/ann\/notes$/m);
    const back = join(tmp, 'back');
    mkdirSync(back);
    execFileSync('tar', ['-C', back, '--xattrs', '--xattrs-include=user.*', '--same-owner', '-xpf', file]);
    expect(describeTree(back)).toEqual(describeTree(root));
    expect(lstatSync(join(back, 'bin/su')).ino).toBe(lstatSync(join(back, 'bin/su-link')).ino);
    expect(sys.lgetxattr(join(back, 'bin/su'), 'user.carton')?.toString()).toBe('kept');
  });
});
