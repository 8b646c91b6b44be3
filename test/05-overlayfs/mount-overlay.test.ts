import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot, mountsUnder, removeDir, tempDir } from '../helpers/index.js';
import { mountOverlay, unmountOverlay } from '@impl/05-overlayfs/index.js';

describe.skipIf(!isRoot)('mountOverlay (needs root)', () => {
  let tmp: string;
  beforeEach(() => (tmp = tempDir('carton-05-mount-')));
  afterEach(() => {
    unmountOverlay(join(tmp, 'c/merged'));
    expect(mountsUnder(tmp)).toEqual([]);
    removeDir(tmp);
  });

  const layers = (count: number, nameLength: number) => Array.from({ length: count }, (_, i) => {
    const dir = join(tmp, 'layers', `${String(i).padStart(3, '0')}${'x'.repeat(nameLength)}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'top'), `layer ${i}\n`);
    writeFileSync(join(dir, `only-${i}`), '');
    return dir;
  });
  const container = () => ({ upper: join(tmp, 'c/upper'), work: join(tmp, 'c/work'), target: join(tmp, 'c/merged') });
  const fsType = (target: string) => readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    .find((line) => line.split(' ')[4] === target)?.split(' - ')[1]?.split(' ')[0];

  it('mounts an overlay: the topmost lower wins, writes land in the upper', () => {
    const lowers = layers(2, 4);
    const c = container();
    mountOverlay({ lowers, ...c }); // creates upper, work and target
    expect(fsType(c.target)).toBe('overlay');
    expect(readFileSync(join(c.target, 'top'), 'utf8')).toBe('layer 0\n');
    expect(existsSync(join(c.target, 'only-1'))).toBe(true);
    writeFileSync(join(c.target, 'new'), 'x');
    expect(readFileSync(join(c.upper, 'new'), 'utf8')).toBe('x');
    expect(existsSync(join(lowers[0], 'new'))).toBe(false);
  });

  it('mounts more layers than one page of mount options can name', () => {
    const lowers = layers(50, 120);
    expect(lowers.join(':').length).toBeGreaterThan(4096);
    const c = container();
    mountOverlay({ lowers, ...c });
    expect(fsType(c.target)).toBe('overlay');
    expect(readFileSync(join(c.target, 'top'), 'utf8')).toBe('layer 0\n');
    expect(existsSync(join(c.target, 'only-49'))).toBe(true);
  });
});
