import { describe, expect, it } from 'vitest';
import { overlayOptions } from '@impl/05-overlayfs/index.js';

describe('overlayOptions', () => {
  it('lists the lowers topmost first, then the upper and work dirs', () => {
    expect(overlayOptions(['/l/top', '/l/base'], '/c/upper', '/c/work'))
      .toBe('lowerdir=/l/top:/l/base,upperdir=/c/upper,workdir=/c/work');
  });

  it('works with a single lower', () => {
    expect(overlayOptions(['/img'], '/u', '/w')).toBe('lowerdir=/img,upperdir=/u,workdir=/w');
  });

  it('escapes the separators ":" and "," in paths', () => {
    expect(overlayOptions(['/a:b', '/c,d'], '/u', '/w')).toBe('lowerdir=/a\\:b:/c\\,d,upperdir=/u,workdir=/w');
  });
});
