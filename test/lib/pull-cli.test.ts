// carton pull / run / login against a real registry on 127.0.0.1 (Debian's docker-registry),
// with images pushed by skopeo, the independent client: what a user sees and what the
// store holds afterwards.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carton, isRoot, removeDir, tempDir } from '../helpers/index.js';
import { startRegistry, skopeoPush, type TestRegistry } from '../helpers/registry.js';
import { buildImage, type BuiltImage } from '../07-images/oci-build.js';
import { makeRootfs } from '../../solutions/01-chroot/rootfs.js';

describe.skipIf(!isRoot)('pull, run and login against a loopback registry (needs root)', () => {
  let open: TestRegistry;
  let locked: TestRegistry;
  let built: BuiltImage;
  const work = tempDir('carton-pull-cli-');
  const layout = join(work, 'layout');

  beforeAll(async () => {
    const base = join(work, 'base');
    makeRootfs(base);
    const app = join(work, 'app');
    mkdirSync(join(app, 'srv'), { recursive: true });
    writeFileSync(join(app, 'srv/hello.txt'), 'hello from a pulled layer\n');
    built = await buildImage(layout, 'v1', [{ platform: { os: 'linux', architecture: 'amd64' }, layers: [base, app] }], work);
    open = await startRegistry();
    locked = await startRegistry({ kind: 'htpasswd', users: { ann: 's3cret' } });
    skopeoPush(layout, 'v1', `${open.host}/team/app:v1`);
    skopeoPush(layout, 'v1', `${locked.host}/team/app:v1`, { creds: 'ann:s3cret' });
  }, 120_000);

  afterAll(async () => {
    await open?.stop();
    await locked?.stop();
    removeDir(work);
  });

  it('run pulls a missing image, with progress, and runs it; its layers are stacked in order', async () => {
    const ref = `${open.host}/team/app:v1`;
    const result = await carton(['run', '--rm', '--network', 'none', ref, 'cat', '/srv/hello.txt']);
    expect(result.stderr).toContain(`Unable to find image '${ref}' locally`);
    for (const layer of built.platforms[0].layers) expect(result.stderr).toContain(`${layer.slice(7, 19)}: Pull complete`);
    expect(result.stdout).toBe('hello from a pulled layer\n');
    expect(result.status).toBe(0);
    const [image] = JSON.parse((await carton(['image', 'inspect', ref])).stdout);
    expect(image.Id).toBe(built.platforms[0].configDigest);
    expect(image.RootFS.Layers).toEqual(built.platforms[0].diffIds);
    expect(image.RepoDigests).toContain(`${open.host}/team/app@${built.digest}`);
  });

  it('pull again says the image is up to date; images lists it under its registry', async () => {
    const again = await carton(['pull', `${open.host}/team/app:v1`]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`Digest: ${built.digest}`);
    expect(again.stdout).toContain('Status: Image is up to date');
    expect(again.stdout).toContain('Already exists');
    expect(again.stdout.trim().split('\n').at(-1)).toBe(`${open.host}/team/app:v1`);
    expect((await carton(['images'])).stdout).toMatch(new RegExp(`^${open.host.replace('.', '\\.')}/team/app\\s+v1\\s+${built.platforms[0].configDigest.slice(7, 19)}\\s`, 'm'));
  });

  it('a missing tag is one clear error naming the registry answer', async () => {
    const missing = await carton(['pull', `${open.host}/team/app:nope`]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/MANIFEST_UNKNOWN|not found/i);
    expect(missing.stderr.split('\n').filter((l) => l && !l.startsWith('hint')).length).toBeLessThanOrEqual(2);
  });

  it('a registry that wants credentials: refused without them, pulled after carton login, refused after logout', async () => {
    const ref = `${locked.host}/team/app:v1`;
    const refused = await carton(['pull', ref]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('carton login');
    const badLogin = await carton(['login', '-u', 'ann', '--password-stdin', locked.host], { input: 'wrong\n' });
    expect(badLogin.status).toBe(1);
    const login = await carton(['login', '-u', 'ann', '--password-stdin', locked.host], { input: 's3cret\n' });
    expect(login.stdout).toBe('Login Succeeded\n');
    await carton(['rmi', ref]);
    const pulled = await carton(['pull', '-q', ref]);
    expect(pulled.stdout).toBe(`${ref}\n`);
    expect((await carton(['logout', locked.host])).stdout).toBe(`Removing login credentials for ${locked.host}\n`);
    await carton(['rmi', ref]);
    expect((await carton(['pull', ref])).status).toBe(1);
  });
});
