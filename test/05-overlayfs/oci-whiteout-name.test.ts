import { describe, expect, it } from 'vitest';
import { ociWhiteoutName } from '@impl/05-overlayfs/index.js';

describe('ociWhiteoutName', () => {
  it('prefixes the last component with .wh.', () => {
    expect(ociWhiteoutName('etc/hostname')).toBe('etc/.wh.hostname');
    expect(ociWhiteoutName('a/b/c.txt')).toBe('a/b/.wh.c.txt');
  });

  it('handles a file at the top of the layer', () => {
    expect(ociWhiteoutName('tmp')).toBe('.wh.tmp');
  });
});
