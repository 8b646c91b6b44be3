// What applyLayer keeps from a well-formed archive (modes with setuid/setgid/sticky,
// owners, times, xattrs, devices, fifos, hard links), the compressions it reads (gzip,
// zstd, by their magic bytes), and the one clear error a malformed or truncated archive
// gets. Archives are crafted byte by byte (craft.ts) or made by GNU tar and zstd.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';
import * as sys from '../../lib/sys/index.js';
import { applyLayer } from '@impl/05-overlayfs/index.js';
import { archive, header, pax, raw } from './craft.js';

describe.skipIf(!isRoot)('applyLayer keeps metadata, reads gzip and zstd, and rejects broken archives (needs root)', () => {
  let tmp: string;
  let out: string;
  beforeEach(() => {
    tmp = tempDir('carton-05-formats-');
    out = join(tmp, 'out');
  });
  afterEach(() => removeDir(tmp));

  const write = (name: string, data: Buffer) => {
    writeFileSync(join(tmp, name), data);
    return join(tmp, name);
  };

  const sample = () => archive(
    raw({ name: 'bin/', type: '5', mode: 0o755, mtime: 100 }),
    raw({ name: 'bin/su', data: 'setuid', mode: 0o4755, uid: 0, gid: 0, mtime: 200 }),
    raw({ name: 'bin/wall', data: 'setgid', mode: 0o2755, uid: 0, gid: 5, mtime: 200 }),
    raw({ name: 'bin/sudo', type: '1', linkname: 'bin/su' }),
    raw({ name: 'tmp/', type: '5', mode: 0o1777, mtime: 300 }),
    raw({ name: 'home/', type: '5', mode: 0o750, uid: 1234, gid: 5678, mtime: 400 }),
    pax({ 'SCHILY.xattr.user.carton': 'kept', mtime: '500.75' }),
    raw({ name: 'home/f', data: 'owned', mode: 0o600, uid: 1234, gid: 5678 }),
    raw({ name: 'home/link', type: '2', linkname: 'f', uid: 1234, gid: 5678, mtime: 600 }),
    raw({ name: 'dev/', type: '5', mode: 0o755 }),
    raw({ name: 'dev/null', type: '3', devmajor: 1, devminor: 3, mode: 0o666 }),
    raw({ name: 'dev/loop7', type: '4', devmajor: 7, devminor: 7, mode: 0o660, gid: 6 }),
    raw({ name: 'dev/fifo', type: '6', mode: 0o620 }),
  );

  const checkSample = () => {
    const st = (p: string) => lstatSync(join(out, p));
    expect(st('bin/su').mode & 0o7777).toBe(0o4755);
    expect(st('bin/wall').mode & 0o7777).toBe(0o2755);
    expect(st('bin/wall').gid).toBe(5);
    expect(st('bin/sudo').ino).toBe(st('bin/su').ino);
    expect(st('tmp').mode & 0o7777).toBe(0o1777);
    expect([st('home').uid, st('home').gid, st('home').mode & 0o7777]).toEqual([1234, 5678, 0o750]);
    expect([st('home/f').uid, st('home/f').gid, st('home/f').mode & 0o7777]).toEqual([1234, 5678, 0o600]);
    expect([st('home/link').uid, st('home/link').gid]).toEqual([1234, 5678]);
    expect(Math.floor(st('home/f').mtimeMs / 1000)).toBe(500);
    expect(Math.floor(st('home/link').mtimeMs / 1000)).toBe(600);
    expect(Math.floor(st('bin').mtimeMs / 1000)).toBe(100);
    expect(Math.floor(st('home').mtimeMs / 1000)).toBe(400);
    expect(sys.lgetxattr(join(out, 'home/f'), 'user.carton')?.toString()).toBe('kept');
    expect(st('dev/null').isCharacterDevice() && st('dev/null').rdev).toBe(Number(sys.makedev(1, 3)));
    expect(st('dev/loop7').isBlockDevice() && st('dev/loop7').rdev).toBe(Number(sys.makedev(7, 7)));
    expect(st('dev/fifo').isFIFO()).toBe(true);
    expect(st('dev/fifo').mode & 0o7777).toBe(0o620);
  };

  it('keeps modes (setuid, setgid, sticky), owners, times, xattrs, devices, fifos and hard links', async () => {
    await applyLayer(write('l.tar', sample()), out);
    checkSample();
  });

  it('reads the same layer gzip-compressed and zstd-compressed (by magic bytes, whatever the file name)', async () => {
    await applyLayer(write('layer-gz', gzipSync(sample())), out);
    checkSample();
    const plain = write('plain.tar', sample());
    execFileSync('zstd', ['-q', '-f', plain, '-o', join(tmp, 'layer-zst')]);
    expect(readFileSync(join(tmp, 'layer-zst')).readUInt32BE(0)).toBe(0x28b52ffd);
    const out2 = join(tmp, 'out-zstd');
    await applyLayer(join(tmp, 'layer-zst'), out2);
    expect(readdirSync(out2).sort()).toEqual(['bin', 'dev', 'home', 'tmp']);
    out = out2;
    checkSample();
  });

  it('reads a zstd layer made by GNU tar --zstd', async () => {
    const src = join(tmp, 'src');
    mkdirSync(join(src, 'a/b'), { recursive: true });
    writeFileSync(join(src, 'a/b/c'), 'zstd\n', { mode: 0o750 });
    execFileSync('tar', ['--zstd', '-C', src, '-cf', join(tmp, 'l.tar.zst'), '.']);
    await applyLayer(join(tmp, 'l.tar.zst'), out);
    expect(readFileSync(join(out, 'a/b/c'), 'utf8')).toBe('zstd\n');
    expect(lstatSync(join(out, 'a/b/c')).mode & 0o777).toBe(0o750);
  });

  it('rejects a truncated zstd stream and zstd garbage with the decompressor\'s reason', async () => {
    const big = archive(raw({ name: 'big', data: Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251)) }));
    const plain = write('big.tar', big);
    execFileSync('zstd', ['-q', '-f', plain, '-o', join(tmp, 'big.zst')]);
    const zst = readFileSync(join(tmp, 'big.zst'));
    await expect(applyLayer(write('cut.zst', zst.subarray(0, zst.length - 100)), out)).rejects.toThrow(/zstd/);
    await expect(applyLayer(write('junk.zst', Buffer.concat([zst.subarray(0, 4), Buffer.alloc(2000, 0x55)])), out)).rejects.toThrow(/zstd: exit status/);
  });

  it('rejects gzip garbage after the magic bytes', async () => {
    await expect(applyLayer(write('junk.gz', Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(2000, 0x55)])), out)).rejects.toThrow(/^read tar: /);
  });

  it('rejects malformed headers and pax records, naming the member', async () => {
    const badNumber = raw({ name: 'bad', data: 'x' });
    badNumber.write('9x9', 108, 'latin1'); // uid field
    let sum = 0;
    badNumber.fill(0x20, 148, 156);
    for (const b of badNumber.subarray(0, 512)) sum += b;
    badNumber.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    await expect(applyLayer(write('a.tar', archive(badNumber)), out)).rejects.toThrow(/bad.*bad number/);
    const noEquals = raw({ name: 'PaxHeaders/x', type: 'x', data: '12 pathfoo\n' });
    await expect(applyLayer(write('b.tar', archive(noEquals, raw({ name: 'f', data: '' }))), out)).rejects.toThrow(/bad pax record/);
    await expect(applyLayer(write('c.tar', archive(raw({ name: 'sparse', type: 'S', data: '' }))), out)).rejects.toThrow(/sparse.*not supported/);
    const huge = raw({ name: 'x', type: 'x', data: '' });
    await expect(applyLayer(write('d.tar', archive(Buffer.concat([header({ name: 'PaxHeaders/x', type: 'x' }, 4 << 20), huge]))), out)).rejects.toThrow(/extended header too large/);
  });

  it('rejects an archive cut inside a header, or without its end blocks', async () => {
    const whole = archive(raw({ name: 'a', data: 'aaa' }), raw({ name: 'b', data: 'bbb' }));
    await expect(applyLayer(write('cut.tar', whole.subarray(0, 1024 + 100)), out)).rejects.toThrow(/#1.*unexpected end/);
    await expect(applyLayer(write('noend.tar', whole.subarray(0, 2048)), out)).rejects.toThrow(/no end-of-archive/);
  });
});
