// Real overlay mounts in a temporary directory: copy-up, shared lowers, whiteouts, opaque
// directories, and docker-diff's view of the upper layer.
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot, mountsUnder, removeDir, tempDir } from '../helpers/index.js';
import { diffUpper, isOpaque, isWhiteout, mountOverlay, unmountOverlay } from '@impl/05-overlayfs/index.js';
import { makeLower } from './helpers.js';

describe.skipIf(!isRoot)('overlay mounts (needs root)', () => {
  let tmp: string;
  let lower: string;
  const layer = (n: string) => ({ upper: join(tmp, n, 'upper'), work: join(tmp, n, 'work'), target: join(tmp, n, 'merged') });

  beforeEach(() => {
    tmp = tempDir('carton-05-');
    lower = join(tmp, 'lower');
    makeLower(lower);
  });
  afterEach(() => {
    for (const n of ['a', 'b', 'many']) unmountOverlay(join(tmp, n, 'merged'));
    expect(mountsUnder(tmp)).toEqual([]);
    removeDir(tmp);
  });

  it('shares one lower between two containers; writes stay in each upper', () => {
    const a = layer('a');
    const b = layer('b');
    mountOverlay({ lowers: [lower], ...a });
    mountOverlay({ lowers: [lower], ...b });
    expect(mountsUnder(tmp).sort()).toEqual([a.target, b.target].sort());

    writeFileSync(join(a.target, 'etc/hostname'), 'in a\n');
    expect(readFileSync(join(a.target, 'etc/hostname'), 'utf8')).toBe('in a\n');
    expect(readFileSync(join(b.target, 'etc/hostname'), 'utf8')).toBe('lower\n');
    expect(readFileSync(join(lower, 'etc/hostname'), 'utf8')).toBe('lower\n');
    // copy-up: the changed file now lives in a's upper layer
    expect(readFileSync(join(a.upper, 'etc/hostname'), 'utf8')).toBe('in a\n');

    // An untouched file is the lower's own inode, in both containers: shared, not copied.
    const ino = statSync(join(lower, 'bin/tool')).ino;
    expect(statSync(join(a.target, 'bin/tool')).ino).toBe(ino);
    expect(statSync(join(b.target, 'bin/tool')).ino).toBe(ino);
    expect(existsSync(join(a.upper, 'bin/tool'))).toBe(false);
  });

  it('records a deletion as a whiteout (char device 0:0) and leaves the lower alone', () => {
    const a = layer('a');
    mountOverlay({ lowers: [lower], ...a });
    unlinkSync(join(a.target, 'bin/tool'));
    expect(existsSync(join(a.target, 'bin/tool'))).toBe(false);
    const whiteout = lstatSync(join(a.upper, 'bin/tool'));
    expect(whiteout.isCharacterDevice()).toBe(true);
    expect(whiteout.rdev).toBe(0);
    expect(isWhiteout(whiteout)).toBe(true);
    expect(readFileSync(join(lower, 'bin/tool'), 'utf8')).toBe('#!/bin/sh\n');
  });

  it('makes a removed and re-created directory opaque', () => {
    const a = layer('a');
    mountOverlay({ lowers: [lower], ...a });
    rmSync(join(a.target, 'etc/conf.d'), { recursive: true });
    mkdirSync(join(a.target, 'etc/conf.d'));
    writeFileSync(join(a.target, 'etc/conf.d/c'), 'c\n');
    expect(isOpaque(join(a.upper, 'etc/conf.d'))).toBe(true);
    expect(existsSync(join(a.target, 'etc/conf.d/a'))).toBe(false);
    expect(existsSync(join(lower, 'etc/conf.d/a'))).toBe(true);
  });

  it('mounts many long-named lowers in the right order (beyond one page of options)', () => {
    const lowers: string[] = [];
    for (let i = 0; i < 60; i++) {
      const dir = join(tmp, 'layers', `${'x'.repeat(90)}-${String(i).padStart(3, '0')}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `only-${i}`), '');
      writeFileSync(join(dir, 'top'), String(i));
      lowers.push(dir);
    }
    expect(lowers.join(':').length).toBeGreaterThan(4096);
    const m = layer('many');
    mountOverlay({ lowers, ...m });
    expect(readFileSync(join(m.target, 'top'), 'utf8')).toBe('0'); // lowers[0] is topmost
    expect(existsSync(join(m.target, 'only-59'))).toBe(true);
  });

  it('diffUpper reports A, C and D as docker diff does', () => {
    const a = layer('a');
    mountOverlay({ lowers: [lower], ...a });
    writeFileSync(join(a.target, 'etc/hostname'), 'changed\n');
    writeFileSync(join(a.target, 'new-file'), '');
    unlinkSync(join(a.target, 'bin/tool'));
    rmSync(join(a.target, 'etc/conf.d'), { recursive: true });
    mkdirSync(join(a.target, 'etc/conf.d'));
    writeFileSync(join(a.target, 'etc/conf.d/a'), 'new a\n');
    expect(diffUpper(a.upper, [lower])).toEqual([
      { kind: 'C', path: '/bin' },
      { kind: 'D', path: '/bin/tool' },
      { kind: 'C', path: '/etc' },
      { kind: 'C', path: '/etc/conf.d' },
      { kind: 'A', path: '/etc/conf.d/a' },
      { kind: 'C', path: '/etc/hostname' },
      { kind: 'A', path: '/new-file' },
    ]);
  });

  it('unmountOverlay is idempotent', () => {
    const a = layer('a');
    mountOverlay({ lowers: [lower], ...a });
    unmountOverlay(a.target);
    unmountOverlay(a.target);
    expect(mountsUnder(tmp)).toEqual([]);
  });
});
