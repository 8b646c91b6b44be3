import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookPath } from '@impl/01-chroot/index.js';
import { removeDir, tempDir } from '../helpers/index.js';

describe('lookPath', () => {
  let dir: string;
  const file = (path: string, mode: number) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), '#!/bin/sh\n');
    chmodSync(join(dir, path), mode);
  };
  beforeAll(() => {
    dir = tempDir();
    file('a/tool', 0o644); // found first, but not executable
    file('b/tool', 0o755);
    file('b/only-here', 0o755);
    file('c/only-here', 0o755);
    file('c/plain', 0o644);
    mkdirSync(join(dir, 'a/subdir-tool'), { recursive: true });
  });
  afterAll(() => removeDir(dir));

  it('returns the first executable match in PATH order', () => {
    const path = ['a', 'b', 'c'].map((d) => join(dir, d)).join(':');
    expect(lookPath('only-here', path)).toBe(join(dir, 'b/only-here'));
    expect(lookPath('tool', path)).toBe(join(dir, 'b/tool'));
  });

  it('uses a name with a slash as it is', () => {
    expect(lookPath(join(dir, 'c/only-here'), '/nowhere')).toBe(join(dir, 'c/only-here'));
  });

  it('fails with 127 when nothing matches', () => {
    expect(() => lookPath('missing', join(dir, 'a'))).toThrow(expect.objectContaining({ exitCode: 127 }));
  });

  it('fails with 126 when the only match cannot be executed', () => {
    expect(() => lookPath('plain', join(dir, 'c'))).toThrow(expect.objectContaining({ exitCode: 126 }));
    expect(() => lookPath('subdir-tool', join(dir, 'a'))).toThrow(expect.objectContaining({ exitCode: 126 }));
  });
});
