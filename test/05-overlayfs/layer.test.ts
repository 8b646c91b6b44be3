// Layers: an upper directory → a tarball with OCI whiteouts → applyLayer into a fresh
// directory gives the same tree back; archives made by GNU tar unpack too; and a crafted,
// malicious or broken archive never writes outside the target directory.
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot, mountsUnder, removeDir, tempDir } from '../helpers/index.js';
import * as sys from '../../lib/sys/index.js';
import { applyLayer, makeOpaque, makeWhiteout, upperToLayer } from '@impl/05-overlayfs/index.js';
import { describeTree, tarMember, tarOf } from './helpers.js';

describe.skipIf(!isRoot)('layer tarballs (needs root)', () => {
  let tmp: string;
  beforeEach(() => (tmp = tempDir('carton-05-layer-')));
  afterEach(() => {
    expect(mountsUnder(tmp)).toEqual([]);
    removeDir(tmp);
  });

  function makeUpper(upper: string): void {
    mkdirSync(join(upper, 'etc/conf.d'), { recursive: true });
    writeFileSync(join(upper, 'etc/hostname'), 'box\n', { mode: 0o640 });
    writeFileSync(join(upper, 'etc/conf.d/c'), 'c\n');
    makeOpaque(join(upper, 'etc/conf.d'));
    makeWhiteout(join(upper, 'etc/gone'));
    mkdirSync(join(upper, 'usr/bin'), { recursive: true });
    writeFileSync(join(upper, 'usr/bin/tool'), 'x'.repeat(3000), { mode: 0o4755 });
    linkSync(join(upper, 'usr/bin/tool'), join(upper, 'usr/bin/tool-link'));
    symlinkSync('../usr/bin/tool', join(upper, 'etc/tool'));
    sys.mknod(join(upper, 'etc/null'), sys.S_IFCHR | 0o666, sys.makedev(1, 3));
    const long = join(upper, 'deep', 'd'.repeat(60), 'e'.repeat(60));
    mkdirSync(long, { recursive: true });
    writeFileSync(join(long, 'f'.repeat(120)), 'long name\n');
    sys.lsetxattr(join(upper, 'etc/hostname'), 'user.carton', Buffer.from('kept'));
    utimesSync(join(upper, 'etc/hostname'), 1_000_000, 1_000_000);
  }

  for (const file of ['layer.tar', 'layer.tar.gz']) {
    it(`round-trips an upper dir through ${file} (modes, links, devices, whiteouts, opaque, xattrs)`, async () => {
      const upper = join(tmp, 'upper');
      makeUpper(upper);
      await upperToLayer(upper, join(tmp, file));
      const out = join(tmp, 'out');
      await applyLayer(join(tmp, file), out);
      expect(describeTree(out)).toEqual(describeTree(upper));
      expect(lstatSync(join(out, 'usr/bin/tool')).ino).toBe(lstatSync(join(out, 'usr/bin/tool-link')).ino);
      expect(sys.lgetxattr(join(out, 'etc/hostname'), 'user.carton')?.toString()).toBe('kept');
    });
  }

  it('writes OCI whiteouts that GNU tar can read', async () => {
    const upper = join(tmp, 'upper');
    makeUpper(upper);
    await upperToLayer(upper, join(tmp, 'layer.tar'));
    const names = execFileSync('tar', ['-tf', join(tmp, 'layer.tar')], { encoding: 'utf8' }).split('\n');
    expect(names).toContain('etc/.wh.gone');
    expect(names).toContain('etc/conf.d/.wh..wh..opq');
    expect(names).toContain(`deep/${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(120)}`);
  });

  it('unpacks archives made by GNU tar (gnu long names and pax)', async () => {
    const src = join(tmp, 'src');
    mkdirSync(join(src, 'a'.repeat(150)), { recursive: true });
    writeFileSync(join(src, 'a'.repeat(150), 'b'.repeat(150)), 'hi\n');
    for (const format of ['gnu', 'pax']) {
      execFileSync('tar', ['-C', src, `--format=${format}`, '-cf', join(tmp, `${format}.tar`), '.']);
      const out = join(tmp, `out-${format}`);
      await applyLayer(join(tmp, `${format}.tar`), out);
      expect(readFileSync(join(out, 'a'.repeat(150), 'b'.repeat(150)), 'utf8')).toBe('hi\n');
    }
  });

  describe('hostile archives', () => {
    let sentinel: string;
    let out: string;
    beforeEach(() => {
      sentinel = join(tmp, 'sentinel');
      mkdirSync(sentinel);
      out = join(tmp, 'sandbox', 'out');
      mkdirSync(out, { recursive: true });
    });
    afterEach(() => {
      expect(readdirSync(sentinel)).toEqual([]);
      expect(readdirSync(join(tmp, 'sandbox'))).toEqual(['out']);
    });

    const apply = (tar: Buffer) => {
      writeFileSync(join(tmp, 'evil.tar'), tar);
      return applyLayer(join(tmp, 'evil.tar'), out);
    };

    it('rejects an absolute path', async () => {
      await expect(apply(tarOf(tarMember(`${sentinel}/x`, { data: 'pwned' })))).rejects.toThrow(/absolute path/);
    });

    it('rejects a path with ..', async () => {
      await expect(apply(tarOf(tarMember('../x', { data: 'pwned' })))).rejects.toThrow(/`\.\.\/x`.*\.\./);
      await expect(apply(tarOf(tarMember('a/../../x', { data: 'pwned' })))).rejects.toThrow(/\.\./);
    });

    it('does not write through a symlink member', async () => {
      await expect(apply(tarOf(
        tarMember('evil', { type: '2', linkname: sentinel }),
        tarMember('evil/file', { data: 'pwned' }),
      ))).rejects.toThrow(/evil\/file.*symlink/);
      expect(lstatSync(join(out, 'evil')).isSymbolicLink()).toBe(true);
    });

    it('does not replace a symlink target by a file of the same name', async () => {
      await apply(tarOf(
        tarMember('evil', { type: '2', linkname: `${sentinel}/x` }),
        tarMember('evil', { data: 'replaced' }),
      ));
      expect(readFileSync(join(out, 'evil'), 'utf8')).toBe('replaced');
    });

    it('rejects a hard link to a file outside', async () => {
      await expect(apply(tarOf(tarMember('passwd', { type: '1', linkname: '/etc/passwd' })))).rejects.toThrow(/passwd.*absolute path/);
      await expect(apply(tarOf(tarMember('passwd', { type: '1', linkname: '../../sentinel' })))).rejects.toThrow(/\.\./);
      expect(existsSync(join(out, 'passwd'))).toBe(false);
    });

    it('rejects a truncated archive, naming the member', async () => {
      const whole = tarOf(tarMember('big', { data: 'y'.repeat(5000) }));
      await expect(apply(whole.subarray(0, 1500))).rejects.toThrow(/big.*unexpected end/);
    });

    it('refuses a whiteout that names the directory itself', async () => {
      mkdirSync(join(out, 'keep'));
      await expect(apply(tarOf(tarMember('keep/.wh..', { data: '' })))).rejects.toThrow(/whiteout of no file/);
      await expect(apply(tarOf(tarMember('.wh.', { data: '' })))).rejects.toThrow(/whiteout of no file/);
      expect(existsSync(join(out, 'keep'))).toBe(true);
    });

    it('rejects a truncated gzip stream', async () => {
      const gz = gzipSync(tarOf(tarMember('big', { data: 'y'.repeat(50_000) })));
      await expect(apply(gz.subarray(0, gz.length - 40))).rejects.toThrow(/read tar/);
    });

    it('rejects garbage', async () => {
      await expect(apply(Buffer.from('this is not a tar file'.repeat(40)))).rejects.toThrow(/checksum/);
    });
  });
});
