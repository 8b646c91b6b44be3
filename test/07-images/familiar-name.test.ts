import { describe, expect, it } from 'vitest';
import { familiarName } from '@impl/07-images/index.js';

describe('familiarName', () => {
  it('drops docker.io and library/ as `docker images` does', () => {
    expect(familiarName({ registry: 'docker.io', repository: 'library/alpine', tag: 'latest' })).toBe('alpine');
    expect(familiarName({ registry: 'docker.io', repository: 'user/app', tag: '1' })).toBe('user/app');
    expect(familiarName({ registry: 'docker.io', repository: 'library/a/b' })).toBe('library/a/b');
  });

  it('keeps any other registry', () => {
    expect(familiarName({ registry: 'localhost:5000', repository: 'app', tag: 'latest' })).toBe('localhost:5000/app');
    expect(familiarName({ registry: 'ghcr.io', repository: 'library/x' })).toBe('ghcr.io/library/x');
  });
});
