import { describe, expect, it } from 'vitest';
import { parseReference } from '@impl/07-images/index.js';

const D = 'sha256:' + 'ab'.repeat(32);

describe('parseReference', () => {
  it('normalises Docker Hub names', () => {
    expect(parseReference('alpine')).toEqual({ registry: 'docker.io', repository: 'library/alpine', tag: 'latest' });
    expect(parseReference('alpine:3.20')).toEqual({ registry: 'docker.io', repository: 'library/alpine', tag: '3.20' });
    expect(parseReference('user/app')).toEqual({ registry: 'docker.io', repository: 'user/app', tag: 'latest' });
    expect(parseReference('docker.io/library/alpine:3')).toEqual({ registry: 'docker.io', repository: 'library/alpine', tag: '3' });
    expect(parseReference('index.docker.io/user/app')).toEqual({ registry: 'docker.io', repository: 'user/app', tag: 'latest' });
  });

  it('recognises a registry by a dot, a port or localhost', () => {
    expect(parseReference('localhost:5000/app')).toEqual({ registry: 'localhost:5000', repository: 'app', tag: 'latest' });
    expect(parseReference('localhost/app:v1')).toEqual({ registry: 'localhost', repository: 'app', tag: 'v1' });
    expect(parseReference('host.tld/a/b:tag')).toEqual({ registry: 'host.tld', repository: 'a/b', tag: 'tag' });
    expect(parseReference('127.0.0.1:5000/a/b/c')).toEqual({ registry: '127.0.0.1:5000', repository: 'a/b/c', tag: 'latest' });
    // No dot, no port: a Docker Hub user name, not a host.
    expect(parseReference('myhost/app')).toEqual({ registry: 'docker.io', repository: 'myhost/app', tag: 'latest' });
  });

  it('keeps a digest, with or without a tag', () => {
    expect(parseReference(`localhost:5000/app@${D}`)).toEqual({ registry: 'localhost:5000', repository: 'app', digest: D });
    expect(parseReference(`alpine:3.20@${D}`)).toEqual({ registry: 'docker.io', repository: 'library/alpine', tag: '3.20', digest: D });
  });

  it('refuses bad references with a clear error', () => {
    expect(() => parseReference('')).toThrow(/parse reference .*empty/);
    expect(() => parseReference('Alpine')).toThrow(/must be lowercase/);
    expect(() => parseReference('localhost:5000/App')).toThrow(/must be lowercase/);
    expect(() => parseReference('alpine:-bad')).toThrow(/invalid tag/);
    expect(() => parseReference('alpine@sha256:xyz')).toThrow(/invalid digest/);
    expect(() => parseReference('a//b')).toThrow(/parse reference/);
    expect(() => parseReference('app_:1')).toThrow(/parse reference/);
  });
});
