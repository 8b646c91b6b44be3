import { describe, expect, it } from 'vitest';
import { vethNames } from '@impl/06-networking/index.js';

describe('vethNames', () => {
  const id = '3f9a1c0de4b25a7781c6e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5';

  it('names both ends after the first 8 characters of the id', () => {
    expect(vethNames(id)).toEqual({ host: 'vc3f9a1c0d', peer: 'vp3f9a1c0d' });
  });

  it('fits the kernel limit of 15 characters, and two containers never share a name', () => {
    const a = vethNames(id);
    const b = vethNames('77' + id.slice(2));
    for (const name of [a.host, a.peer, b.host, b.peer]) expect(name.length).toBeLessThanOrEqual(15);
    expect(a.host).not.toBe(b.host);
  });

  it('refuses ids that would make odd interface names', () => {
    expect(() => vethNames('../etc')).toThrow(/invalid container id/);
    expect(() => vethNames('')).toThrow(/invalid container id/);
  });
});
