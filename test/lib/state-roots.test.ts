import { describe, expect, it } from 'vitest';

describe('test isolation', () => {
  it('runs every test with private state roots, never the real ones', () => {
    expect(process.env.CARTON_ROOT).toMatch(/carton-tests-.*\/lib$/);
    expect(process.env.CARTON_RUN).toMatch(/carton-tests-.*\/run$/);
  });
});
