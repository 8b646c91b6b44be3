// Hostile layers: every classic tar path-traversal trick, crafted byte by byte (craft.ts),
// is refused with an error naming the member, or neutralised. A sentinel directory beside
// the target, and an "outside" directory with a file and a subdirectory in it, prove after
// each test that nothing outside the target was created, changed or touched.
import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';
import { applyLayer } from '@impl/05-overlayfs/index.js';
import { archive, gnuLong, pax, raw } from './craft.js';

describe.skipIf(!isRoot)('applyLayer refuses or neutralises hostile archives (needs root)', () => {
  let tmp: string;
  let sentinel: string;
  let outside: string;
  let out: string;

  const outsideState = () => readdirSync(outside).sort().map((name) => {
    const s = lstatSync(join(outside, name));
    return `${name} ${s.mode.toString(8)} ${s.mtimeMs} ${s.isFile() ? readFileSync(join(outside, name), 'utf8') : ''}`;
  });
  let before: string[];

  beforeEach(() => {
    tmp = tempDir('carton-05-hostile-');
    sentinel = join(tmp, 'sentinel');
    outside = join(tmp, 'outside');
    out = join(tmp, 'sandbox', 'out');
    mkdirSync(sentinel);
    mkdirSync(join(outside, 'b'), { recursive: true });
    writeFileSync(join(outside, 'passwd'), 'root:x:0:0\n', { mode: 0o644 });
    utimesSync(join(outside, 'b'), 1000, 1000);
    utimesSync(join(outside, 'passwd'), 1000, 1000);
    mkdirSync(out, { recursive: true });
    before = outsideState();
  });
  afterEach(() => {
    try {
      expect(readdirSync(sentinel)).toEqual([]);
      expect(readdirSync(join(tmp, 'sandbox'))).toEqual(['out']);
      expect(outsideState()).toEqual(before);
    } finally {
      removeDir(tmp);
    }
  });

  const apply = (tar: Buffer) => {
    writeFileSync(join(tmp, 'evil.tar'), tar);
    return applyLayer(join(tmp, 'evil.tar'), out);
  };

  it('refuses absolute names, in the header, a GNU long name or a pax path', async () => {
    await expect(apply(archive(raw({ name: `${sentinel}/x`, data: 'pwned' })))).rejects.toThrow(/absolute path/);
    await expect(apply(archive(gnuLong('L', `${sentinel}/${'x'.repeat(120)}`), raw({ name: 'short', data: 'pwned' })))).rejects.toThrow(/absolute path/);
    await expect(apply(archive(pax({ path: `${sentinel}/x` }), raw({ name: 'innocent', data: 'pwned' })))).rejects.toThrow(/absolute path/);
  });

  it('refuses .. components, however spelled', async () => {
    for (const name of ['../x', 'a/../../x', './../sentinel/x', 'a/b/../../../sentinel/x']) {
      await expect(apply(archive(raw({ name, data: 'pwned' }))), name).rejects.toThrow(/leaves the layer \(\.\.\)/);
    }
    await expect(apply(archive(gnuLong('L', `${'../'.repeat(3)}sentinel/${'y'.repeat(120)}`), raw({ name: 'short', data: 'pwned' })))).rejects.toThrow(/\.\./);
    await expect(apply(archive(pax({ path: '../sentinel/x' }), raw({ name: 'innocent', data: 'pwned' })))).rejects.toThrow(/innocent|\.\./);
  });

  it('ignores pax global headers (a global path= names no member)', async () => {
    await apply(archive(pax({ path: '../sentinel/x' }, 'g'), raw({ name: 'ok', data: 'fine' })));
    expect(readFileSync(join(out, 'ok'), 'utf8')).toBe('fine');
  });

  it('refuses a NUL byte smuggled into a pax path', async () => {
    await expect(apply(archive(pax({ path: 'a\0/../../x' }), raw({ name: 'innocent', data: 'pwned' })))).rejects.toThrow(/NUL byte/);
  });

  it('never writes through a symlink (evil -> outside, then evil/passwd)', async () => {
    for (const target of [outside, '../../outside', `../${'../'.repeat(10)}${outside}`]) {
      await expect(apply(archive(raw({ name: 'evil', type: '2', linkname: target }), raw({ name: 'evil/passwd', data: 'pwned' }))))
        .rejects.toThrow(/evil\/passwd.*parent `evil` is a symlink/);
    }
    // the same through a GNU long name and a pax path
    await expect(apply(archive(raw({ name: 'evil2', type: '2', linkname: outside }), gnuLong('L', `evil2/${'p'.repeat(120)}`), raw({ name: 'x', data: 'pwned' })))).rejects.toThrow(/symlink/);
    await expect(apply(archive(raw({ name: 'evil3', type: '2', linkname: outside }), pax({ path: 'evil3/passwd' }), raw({ name: 'x', data: 'pwned' })))).rejects.toThrow(/symlink/);
  });

  it('replaces a symlink by a directory rather than following it', async () => {
    await apply(archive(
      raw({ name: 'evil', type: '2', linkname: sentinel }),
      raw({ name: 'evil/', type: '5', mode: 0o755 }),
      raw({ name: 'evil/x', data: 'inside' }),
    ));
    expect(lstatSync(join(out, 'evil')).isDirectory()).toBe(true);
    expect(readFileSync(join(out, 'evil/x'), 'utf8')).toBe('inside');
  });

  it('replaces a symlink by a file, a device or a fifo of the same name rather than writing through it', async () => {
    await apply(archive(
      raw({ name: 'f', type: '2', linkname: join(outside, 'passwd') }),
      raw({ name: 'f', data: 'replaced' }),
      raw({ name: 'd', type: '2', linkname: join(outside, 'passwd') }),
      raw({ name: 'd', type: '3', devmajor: 1, devminor: 3 }),
      raw({ name: 'p', type: '2', linkname: join(outside, 'passwd') }),
      raw({ name: 'p', type: '6' }),
    ));
    expect(readFileSync(join(out, 'f'), 'utf8')).toBe('replaced');
    expect(lstatSync(join(out, 'd')).isCharacterDevice()).toBe(true);
    expect(lstatSync(join(out, 'p')).isFIFO()).toBe(true);
  });

  it('refuses a member below a parent that a later member turned into a symlink', async () => {
    await expect(apply(archive(
      raw({ name: 'a/', type: '5', mode: 0o755 }),
      raw({ name: 'a/f', data: 'first' }),
      raw({ name: 'a', type: '2', linkname: outside }),
      raw({ name: 'a/passwd', data: 'pwned' }),
    ))).rejects.toThrow(/a\/passwd.*symlink/);
  });

  it('sets directory times at the end without following a parent replaced by a symlink', async () => {
    // a/b/ is recorded with mtime 5; then a becomes a symlink to outside/, which has a b/.
    await apply(archive(
      raw({ name: 'a/', type: '5', mode: 0o755, mtime: 5 }),
      raw({ name: 'a/b/', type: '5', mode: 0o755, mtime: 5 }),
      raw({ name: 'a', type: '2', linkname: outside }),
    ));
    expect(readlinkSync(join(out, 'a'))).toBe(outside);
    // afterEach: outside/b keeps its mtime of 1000
  });

  it('refuses hard links to outside, to .., to the root and to directories', async () => {
    const cases: Array<[string, RegExp]> = [
      [join(outside, 'passwd'), /absolute path/],
      ['../outside/passwd', /\.\./],
      ['a/../../outside/passwd', /\.\./],
      ['..', /\.\./],
      ['.', /layer root/],
      ['missing', /not in the layer/],
    ];
    for (const [linkname, error] of cases) {
      await expect(apply(archive(raw({ name: 'hl', type: '1', linkname }))), linkname).rejects.toThrow(error);
    }
    await expect(apply(archive(raw({ name: 'dir/', type: '5' }), raw({ name: 'hl', type: '1', linkname: 'dir' })))).rejects.toThrow(/hard link to a directory/);
    await expect(apply(archive(gnuLong('K', join(outside, 'passwd')), raw({ name: 'hl', type: '1', linkname: 'x' })))).rejects.toThrow(/absolute path/);
    await expect(apply(archive(pax({ linkpath: '../../outside/passwd' }), raw({ name: 'hl', type: '1', linkname: 'x' })))).rejects.toThrow(/\.\./);
  });

  it('refuses a hard link whose target is reached through a symlink', async () => {
    await expect(apply(archive(
      raw({ name: 'evil', type: '2', linkname: outside }),
      raw({ name: 'hl', type: '1', linkname: 'evil/passwd' }),
    ))).rejects.toThrow(/not in the layer/);
  });

  it('a hard link to a symlink that points outside is a symlink; writing over it replaces it', async () => {
    await apply(archive(
      raw({ name: 'evil', type: '2', linkname: join(outside, 'passwd') }),
      raw({ name: 'hl', type: '1', linkname: 'evil' }),
      raw({ name: 'hl', data: 'replaced' }),
      raw({ name: 'evil', data: 'replaced too' }),
    ));
    expect(readFileSync(join(out, 'hl'), 'utf8')).toBe('replaced');
    expect(readFileSync(join(out, 'evil'), 'utf8')).toBe('replaced too');
    await expect(apply(archive(
      raw({ name: 'evil2', type: '2', linkname: outside }),
      raw({ name: 'hl2', type: '1', linkname: 'evil2' }),
      raw({ name: 'hl2/passwd', data: 'pwned' }),
    ))).rejects.toThrow(/hl2\/passwd.*symlink/);
  });

  it('a file written over a hard link gets a new inode: the other name keeps its data', async () => {
    await apply(archive(
      raw({ name: 'orig', data: 'original' }),
      raw({ name: 'hl', type: '1', linkname: 'orig' }),
      raw({ name: 'hl', data: 'new' }),
    ));
    expect(readFileSync(join(out, 'orig'), 'utf8')).toBe('original');
    expect(readFileSync(join(out, 'hl'), 'utf8')).toBe('new');
  });

  it('replaces a device node rather than writing into it, and refuses one below a symlink', async () => {
    await apply(archive(
      raw({ name: 'dev/', type: '5', mode: 0o755 }),
      raw({ name: 'dev/null', type: '3', devmajor: 1, devminor: 3, mode: 0o666 }),
      raw({ name: 'dev/null', data: 'a plain file now' }),
      raw({ name: 'dev/loop9', type: '4', devmajor: 7, devminor: 9, mode: 0o660 }),
    ));
    expect(lstatSync(join(out, 'dev/null')).isFile()).toBe(true);
    expect(readFileSync(join(out, 'dev/null'), 'utf8')).toBe('a plain file now');
    expect(lstatSync(join(out, 'dev/loop9')).isBlockDevice()).toBe(true);
    await expect(apply(archive(raw({ name: 'evil', type: '2', linkname: outside }), raw({ name: 'evil/null', type: '3', devmajor: 1, devminor: 3 }))))
      .rejects.toThrow(/symlink/);
  });

  it('refuses whiteouts of .., of ., of nothing, and below a symlink', async () => {
    for (const name of ['.wh..', 'a/.wh..', '.wh..', '.wh.', 'a/.wh.']) {
      await expect(apply(archive(raw({ name, data: '' }))), name).rejects.toThrow(/whiteout of no file/);
    }
    await expect(apply(archive(raw({ name: 'evil', type: '2', linkname: outside }), raw({ name: 'evil/.wh.passwd', data: '' }))))
      .rejects.toThrow(/symlink/);
    await expect(apply(archive(raw({ name: 'evil', type: '2', linkname: outside }), raw({ name: 'evil/.wh..wh..opq', data: '' }))))
      .rejects.toThrow(/symlink/);
  });

  it('drops overlayfs xattrs a layer carries (redirect, metacopy, opaque) and keeps the others', async () => {
    await apply(archive(
      pax({ 'SCHILY.xattr.trusted.overlay.redirect': '/etc', 'SCHILY.xattr.trusted.overlay.opaque': 'y', 'SCHILY.xattr.user.note': 'kept' }),
      raw({ name: 'd/', type: '5', mode: 0o755 }),
    ));
    const { lgetxattr } = await import('../../lib/sys/index.js');
    expect(lgetxattr(join(out, 'd'), 'trusted.overlay.redirect')).toBeFalsy();
    expect(lgetxattr(join(out, 'd'), 'trusted.overlay.opaque')).toBeFalsy();
    expect(lgetxattr(join(out, 'd'), 'user.note')?.toString()).toBe('kept');
  });

  it('skips aufs bookkeeping entries (.wh..wh.plnk)', async () => {
    await apply(archive(raw({ name: '.wh..wh.plnk/', type: '5' }), raw({ name: '.wh..wh.aufs', data: '' }), raw({ name: 'ok', data: 'x' })));
    expect(readdirSync(out)).toEqual(['ok']);
  });
});
