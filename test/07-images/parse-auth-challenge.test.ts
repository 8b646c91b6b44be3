import { describe, expect, it } from 'vitest';
import { parseAuthChallenge } from '@impl/07-images/index.js';

describe('parseAuthChallenge', () => {
  it('reads a Bearer challenge', () => {
    expect(parseAuthChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/alpine:pull' },
    });
  });

  it('keeps commas inside quotes, unescapes \\", and lowercases names', () => {
    expect(parseAuthChallenge('bearer Realm="http://127.0.0.1:9/token", scope="repository:a/b:pull,push",error="insufficient_scope", note="say \\"hi\\""')).toEqual({
      scheme: 'bearer',
      params: { realm: 'http://127.0.0.1:9/token', scope: 'repository:a/b:pull,push', error: 'insufficient_scope', note: 'say "hi"' },
    });
  });

  it('reads Basic and unquoted values', () => {
    expect(parseAuthChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
    expect(parseAuthChallenge('Basic realm=carton, charset=UTF-8')).toEqual({ scheme: 'basic', params: { realm: 'carton', charset: 'UTF-8' } });
    expect(parseAuthChallenge('Negotiate')).toEqual({ scheme: 'negotiate', params: {} });
  });
});
