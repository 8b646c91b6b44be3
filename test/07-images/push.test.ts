// Pushing to a real registry (docker-registry on 127.0.0.1), checked with skopeo, the
// independent client: the registry serves the manifest's very bytes and a copy back has the
// digests we built; a second push sends no blob; a blob the registry refuses leaves no tag;
// registries with token or Basic authentication refuse without credentials and accept with them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImageStore, push, saveCredentials, RegistryError, type Progress } from '@impl/07-images/index.js';
import { CartonError } from '../../lib/sys/index.js';
import { collect, isRoot, removeDir, tempDir } from '../helpers/index.js';
import { freePort, startRegistry, type TestRegistry } from '../helpers/registry.js';
import { buildImage, type BuiltPlatform } from './oci-build.js';
import { HOST_ARCH } from './fixture.js';
import { startTokenServer, type TokenServer } from './token-server.js';

const sha = (data: Buffer) => 'sha256:' + createHash('sha256').update(data).digest('hex');

async function skopeo(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return collect(spawn('skopeo', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
}

let work: string;
let layout: string;
let built: BuiltPlatform;
const storeRoots: string[] = [];

/** A store holding the built image under `name`, copied blob by blob from the OCI layout. */
function storeWith(name: string): ImageStore {
  const root = tempDir('carton-push-store-');
  storeRoots.push(root);
  const store = new ImageStore(join(root, 'images'));
  for (const d of [built.manifestDigest, built.configDigest, ...built.layers]) store.putBlob(readFileSync(join(layout, 'blobs/sha256', d.slice(7))));
  store.addImage(built.manifestDigest, [name]);
  return store;
}

function tree(dir: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

beforeAll(async () => {
  work = tempDir('carton-push-');
  layout = join(work, 'layout');
  const layers = [tree(join(work, 'a'), { 'etc/motd': 'bottom layer\n' }), tree(join(work, 'b'), { 'srv/hello.txt': 'top layer\n' })];
  [built] = (await buildImage(layout, 'app', [{ platform: { os: 'linux', architecture: HOST_ARCH }, layers }], work)).platforms;
});
afterAll(() => {
  storeRoots.forEach(removeDir);
  removeDir(work);
});

describe.skipIf(!isRoot)('push to a real registry', () => {
  let registry: TestRegistry;
  const none = () => join(work, 'no-auth.json');
  beforeAll(async () => {
    registry = await startRegistry();
  }, 60_000);
  afterAll(async () => registry?.stop());

  it('uploads layers, config and manifest: skopeo reads the same manifest bytes and copies the same digests', async () => {
    const ref = `${registry.host}/me/app:1`;
    const store = storeWith(ref);
    const progress: Progress[] = [];
    const pushed = await push(store, ref, { onProgress: (p) => progress.push(p), authFile: none() });
    const manifest = store.readBlob(built.manifestDigest);
    expect(pushed).toEqual({ digest: built.manifestDigest, size: manifest.length, tag: '1' });
    expect(progress.filter((p) => p.phase === 'pushed').map((p) => p.digest)).toEqual(built.layers);
    const raw = await skopeo(['inspect', '--tls-verify=false', '--raw', `docker://${ref}`]);
    expect(raw.stdout).toBe(manifest.toString());
    const copy = join(work, 'copy');
    const copied = await skopeo(['copy', '--quiet', '--src-tls-verify=false', `docker://${ref}`, `oci:${copy}:back`]);
    expect(copied.status, copied.stderr).toBe(0);
    const index = JSON.parse(readFileSync(join(copy, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
    expect(index.manifests.map((m) => m.digest)).toEqual([built.manifestDigest]);
    const back = JSON.parse(readFileSync(join(copy, 'blobs/sha256', built.manifestDigest.slice(7)), 'utf8')) as { config: { digest: string }; layers: Array<{ digest: string }> };
    expect([back.config.digest, ...back.layers.map((l) => l.digest)]).toEqual([built.configDigest, ...built.layers]);
    for (const hex of readdirSync(join(copy, 'blobs/sha256'))) expect(sha(readFileSync(join(copy, 'blobs/sha256', hex)))).toBe(`sha256:${hex}`);
    expect(store.find(ref)?.repoDigests).toEqual([`${registry.host}/me/app@${built.manifestDigest}`]);
  });

  it('a second push finds every layer in the repository and sends none', async () => {
    const ref = `${registry.host}/me/app:1`;
    const progress: Progress[] = [];
    const pushed = await push(storeWith(ref), ref, { onProgress: (p) => progress.push(p), authFile: none() });
    expect(pushed.digest).toBe(built.manifestDigest);
    expect(progress.map((p) => [p.digest, p.phase])).toEqual(built.layers.map((d) => [d, 'exists']));
  });

  it('a blob whose bytes do not match its digest is refused by the registry, and no tag appears', async () => {
    const ref = `${registry.host}/me/broken:1`;
    const store = storeWith(ref);
    const top = store.blobPath(built.layers[1]);
    const bad = readFileSync(top);
    bad[bad.length - 10] ^= 0xff;
    writeFileSync(top, bad);
    const error = await push(store, ref, { authFile: none() }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(String(error)).toContain(`push blob ${registry.host}/me/broken@${built.layers[1]}: HTTP 400 DIGEST_INVALID`);
    const inspect = await skopeo(['inspect', '--tls-verify=false', '--raw', `docker://${ref}`]);
    expect(inspect.status).not.toBe(0);
    expect(inspect.stderr).toMatch(/manifest unknown/i);
  });

  it('an image missing from the store, or a digest instead of a tag, is refused before any request', async () => {
    const nobody = `127.0.0.1:${await freePort()}`; // a request there would fail with ECONNREFUSED instead
    const store = storeWith(`${nobody}/me/app:1`);
    const missing = await push(store, `${nobody}/me/other:1`, { authFile: none() }).catch((e: Error) => e);
    expect(missing).toBeInstanceOf(CartonError);
    expect(String(missing)).toContain(`push ${nobody}/me/other:1: no such image`);
    expect((missing as CartonError).hint).toBe(`name an image so first: carton tag IMAGE ${nobody}/me/other:1`);
    const byDigest = await push(store, `${nobody}/me/app@${built.manifestDigest}`, { authFile: none() }).catch((e: Error) => e);
    expect(String(byDigest)).toContain('a push needs a tag, not a digest');
  });
});

describe.skipIf(!isRoot)('push to registries that want credentials', () => {
  let tokens: TokenServer;
  let tokenRegistry: TestRegistry;
  let basicRegistry: TestRegistry;
  beforeAll(async () => {
    tokens = await startTokenServer(work, { alice: 'secret' });
    tokenRegistry = await startRegistry({ kind: 'token', realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, certFile: tokens.certFile });
    basicRegistry = await startRegistry({ kind: 'htpasswd', users: { bob: 'hunter2' } });
  }, 60_000);
  afterAll(async () => {
    await tokenRegistry?.stop();
    await basicRegistry?.stop();
    await tokens?.close();
  });

  it('token authentication: refused anonymously with a hint to log in; with credentials, one pull,push token', async () => {
    const ref = `${tokenRegistry.host}/me/app:1`;
    const store = storeWith(ref);
    const refused = await push(store, ref, { credentials: () => undefined }).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(RegistryError);
    expect(String(refused)).toMatch(new RegExp(`check blob ${tokenRegistry.host}/me/app@sha256:[0-9a-f]{64}: HTTP 401 \\(insufficient_scope\\)$`));
    expect((refused as RegistryError).hint).toBe(`pushing needs an account that may write to me/app: carton login ${tokenRegistry.host}`);
    const before = tokens.requests.length;
    const pushed = await push(store, ref, { credentials: () => ({ username: 'alice', password: 'secret' }) });
    expect(pushed.digest).toBe(built.manifestDigest);
    expect(tokens.requests.slice(before)).toEqual(['repository:me/app:pull,push']);
    const raw = await skopeo(['inspect', '--tls-verify=false', '--creds', 'alice:secret', '--raw', `docker://${ref}`]);
    expect(raw.stdout).toBe(store.readBlob(built.manifestDigest).toString());
  });

  it('Basic authentication: refused without credentials; pushed with those carton login saved', async () => {
    const ref = `${basicRegistry.host}/me/app:1`;
    const store = storeWith(ref);
    const authFile = join(work, 'basic-auth.json');
    const refused = await push(store, ref, { authFile }).catch((e: Error) => e);
    expect(String(refused)).toMatch(/: HTTP 401 \(the registry wants a user name and password\)/);
    expect((refused as RegistryError).hint).toContain(`carton login ${basicRegistry.host}`);
    saveCredentials(basicRegistry.host, { username: 'bob', password: 'hunter2' }, authFile);
    expect((await push(store, ref, { authFile })).digest).toBe(built.manifestDigest);
    const raw = await skopeo(['inspect', '--tls-verify=false', '--creds', 'bob:hunter2', '--raw', `docker://${ref}`]);
    expect(raw.stdout).toBe(store.readBlob(built.manifestDigest).toString());
  });
});
