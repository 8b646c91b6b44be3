import { describe, expect, it } from 'vitest';
import { sharesToWeight } from '@impl/04-cgroups/index.js';

describe('sharesToWeight', () => {
  it('maps the ends of the v1 range onto the ends of the v2 range', () => {
    expect(sharesToWeight(2)).toBe(1);
    expect(sharesToWeight(262144)).toBe(10000);
  });

  it('gives the values runc and crun give', () => {
    expect(sharesToWeight(1024)).toBe(39); // Docker's default shares
    expect(sharesToWeight(512)).toBe(20);
    expect(sharesToWeight(2048)).toBe(79);
  });

  it('leaves 0 ("not set") at 0', () => {
    expect(sharesToWeight(0)).toBe(0);
  });
});
