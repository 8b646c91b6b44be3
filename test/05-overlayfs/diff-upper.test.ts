// diffUpper reads an upper directory built by hand here (whiteouts and opaque marks made
// with the chapter's helpers), so this test needs no overlay mount.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';
import { diffUpper, makeOpaque, makeWhiteout } from '@impl/05-overlayfs/index.js';
import { makeLower } from './helpers.js';

describe.skipIf(!isRoot)('diffUpper (needs root for whiteouts)', () => {
  let tmp: string;
  beforeEach(() => (tmp = tempDir('carton-05-diff-')));
  afterEach(() => removeDir(tmp));

  it('reports additions, changes and deletions as docker diff does', () => {
    const lower = join(tmp, 'lower');
    makeLower(lower);
    const upper = join(tmp, 'upper');
    mkdirSync(join(upper, 'etc/conf.d'), { recursive: true });
    writeFileSync(join(upper, 'etc/hostname'), 'changed\n'); // copied up: C
    makeOpaque(join(upper, 'etc/conf.d')); // rm -rf + mkdir: C, its contents A
    writeFileSync(join(upper, 'etc/conf.d/a'), 'new a\n');
    mkdirSync(join(upper, 'bin'));
    makeWhiteout(join(upper, 'bin/tool')); // deleted: D
    mkdirSync(join(upper, 'srv/www'), { recursive: true }); // a new tree: all A
    writeFileSync(join(upper, 'srv/www/index.html'), '');
    expect(diffUpper(upper, [lower])).toEqual([
      { kind: 'C', path: '/bin' },
      { kind: 'D', path: '/bin/tool' },
      { kind: 'C', path: '/etc' },
      { kind: 'C', path: '/etc/conf.d' },
      { kind: 'A', path: '/etc/conf.d/a' },
      { kind: 'C', path: '/etc/hostname' },
      { kind: 'A', path: '/srv' },
      { kind: 'A', path: '/srv/www' },
      { kind: 'A', path: '/srv/www/index.html' },
    ]);
  });

  it('looks in every lower layer, and finds nothing in an empty upper', () => {
    const base = join(tmp, 'base');
    const top = join(tmp, 'top');
    mkdirSync(join(base, 'etc'), { recursive: true });
    writeFileSync(join(base, 'etc/passwd'), '');
    mkdirSync(top);
    const upper = join(tmp, 'upper');
    mkdirSync(upper);
    expect(diffUpper(upper, [top, base])).toEqual([]);
    mkdirSync(join(upper, 'etc'));
    writeFileSync(join(upper, 'etc/passwd'), 'x');
    expect(diffUpper(upper, [top, base])).toEqual([{ kind: 'C', path: '/etc' }, { kind: 'C', path: '/etc/passwd' }]);
  });
});
