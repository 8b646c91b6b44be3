// Authentication against a real registry: token auth (docker-registry with `auth: token`,
// our token server signing JWTs it trusts) and Basic auth (`auth: htpasswd`); carton login
// checks credentials before saving them in auth.json (mode 0600), pull uses them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ImageStore, pull, login, logout, credentialsFor, Registry, RegistryError, registryUrl } from '@impl/07-images/index.js';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { makeFixture, type Fixture } from './fixture.js';
import { startTokenServer, type TokenServer } from './token-server.js';

describe('registryUrl', () => {
  it('uses plain HTTP for loopback and listed insecure registries only', () => {
    expect(registryUrl('localhost:5000')).toBe('http://localhost:5000');
    expect(registryUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(registryUrl('[::1]:5000')).toBe('http://[::1]:5000');
    expect(registryUrl('registry.example:5000')).toBe('https://registry.example:5000');
    expect(registryUrl('docker.io')).toBe('https://registry-1.docker.io');
    process.env.CARTON_INSECURE_REGISTRIES = 'a.test:5000, b.test';
    try {
      expect(registryUrl('a.test:5000')).toBe('http://a.test:5000');
      expect(registryUrl('b.test:443')).toBe('http://b.test:443');
      expect(registryUrl('a.test')).toBe('https://a.test');
    } finally {
      delete process.env.CARTON_INSECURE_REGISTRIES;
    }
  });
});

describe.skipIf(!isRoot)('token authentication', () => {
  let dir: string;
  let tokens: TokenServer;
  let fx: Fixture;
  beforeAll(async () => {
    dir = tempDir('carton-auth-');
    tokens = await startTokenServer(dir, { alice: 'secret' });
    fx = await makeFixture({ kind: 'token', realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, certFile: tokens.certFile }, 'alice:secret');
  }, 120_000);
  afterAll(async () => {
    await fx?.cleanup();
    await tokens?.close();
    removeDir(dir);
  });

  it('an anonymous pull is refused, with a hint to log in, and keeps nothing', async () => {
    const store = new ImageStore(join(dir, 'anon'));
    const error = await pull(store, `${fx.registry.host}/app:1`, { authFile: join(dir, 'none.json') }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(String(error)).toMatch(/HTTP 401 UNAUTHORIZED/);
    expect((error as RegistryError).hint).toMatch(/carton login/);
    expect(store.list()).toEqual([]);
  });

  it('login refuses a wrong password and saves nothing', async () => {
    const authFile = join(dir, 'wrong.json');
    await expect(login(fx.registry.host, 'alice', 'nope', authFile)).rejects.toThrow(/ping registry .*: get a token from .*: HTTP 401/);
    expect(existsSync(authFile)).toBe(false);
  });

  it('login saves checked credentials (0600, base64 user:password); pull uses them, one token per scope', async () => {
    const authFile = join(dir, 'auth.json');
    await login(fx.registry.host, 'alice', 'secret', authFile);
    expect(statSync(authFile).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(authFile, 'utf8')) as { auths: Record<string, { auth: string }> };
    expect(Buffer.from(saved.auths[fx.registry.host].auth, 'base64').toString()).toBe('alice:secret');
    expect(credentialsFor(fx.registry.host, authFile)).toEqual({ username: 'alice', password: 'secret' });

    const before = tokens.requests.length;
    const store = new ImageStore(join(dir, 'store'));
    const image = await pull(store, `${fx.registry.host}/app:1`, { authFile });
    expect(image.manifestDigest).toBe(fx.images.app.platforms[0].manifestDigest);
    // The manifest and three blobs, all under one cached token.
    expect(tokens.requests.slice(before)).toEqual(['repository:app:pull']);

    expect(logout(fx.registry.host, authFile)).toBe(true);
    expect(credentialsFor(fx.registry.host, authFile)).toBeUndefined();
    expect(logout(fx.registry.host, authFile)).toBe(false);
  });
});

describe.skipIf(!isRoot)('Basic authentication (htpasswd)', () => {
  let dir: string;
  let registry: TestRegistry;
  beforeAll(async () => {
    dir = tempDir('carton-basic-');
    registry = await startRegistry({ kind: 'htpasswd', users: { bob: 'hunter2' } });
  }, 60_000);
  afterAll(async () => {
    await registry?.stop();
    removeDir(dir);
  });

  it('asks for credentials when there are none', async () => {
    const error = await new Registry(registry.host).ping().catch((e: Error) => e);
    expect(String(error)).toMatch(/ping registry 127\.0\.0\.1:\d+: HTTP 401 \(the registry wants a user name and password\)/);
    expect((error as RegistryError).hint).toBe(`log in first: carton login ${registry.host}`);
  });

  it('login checks the password, then requests carry it', async () => {
    const authFile = join(dir, 'auth.json');
    await expect(login(registry.host, 'bob', 'wrong', authFile)).rejects.toThrow(/HTTP 401 UNAUTHORIZED/);
    expect(existsSync(authFile)).toBe(false);
    await login(registry.host, 'bob', 'hunter2', authFile);
    expect(credentialsFor(registry.host, authFile)).toEqual({ username: 'bob', password: 'hunter2' });
    // Authenticated, the registry answers the question itself: no such repository.
    const error = await new Registry(registry.host, { credentials: credentialsFor(registry.host, authFile) }).manifest('app', '1').catch((e: Error) => e);
    expect(String(error)).toMatch(/HTTP 404 (NAME|MANIFEST)_UNKNOWN/);
  });
});
