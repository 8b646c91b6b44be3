// carton push against a real registry on 127.0.0.1 (Debian's docker-registry), checked
// with skopeo, the independent client: Docker's lines, what the registry holds, and the
// round trip push → rmi → pull giving the same image. The commands run with a state root of
// their own, so removing carton/busybox here disturbs no other test.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carton as cartonShared, collect, isRoot, removeDir, tempDir } from '../helpers/index.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

describe.skipIf(!isRoot)('push to a loopback registry (needs root)', () => {
  let registry: TestRegistry;
  const root = tempDir('carton-push-cli-');
  const carton = (args: string[]) => cartonShared(args, { env: { CARTON_ROOT: join(root, 'lib'), CARTON_OFFLINE: '1' } });

  beforeAll(async () => {
    registry = await startRegistry();
  }, 60_000);
  afterAll(async () => {
    await registry?.stop();
    removeDir(root);
  });

  /** The manifest the registry serves, as skopeo reads it. */
  async function served(ref: string): Promise<{ raw: string; layers: string[] }> {
    const result = await collect(spawn('skopeo', ['inspect', '--tls-verify=false', '--raw', `docker://${ref}`], { stdio: ['ignore', 'pipe', 'pipe'] }));
    expect(result.status, result.stderr).toBe(0);
    return { raw: result.stdout, layers: (JSON.parse(result.stdout) as { layers: Array<{ digest: string }> }).layers.map((l) => l.digest) };
  }

  it('tag carton/busybox, push it with Docker\'s lines; rmi and pull give the same image ID', async () => {
    const ref = `${registry.host}/me/bb:1`;
    expect((await carton(['tag', 'carton/busybox', ref])).status).toBe(0);
    const [before] = JSON.parse((await carton(['image', 'inspect', ref])).stdout) as Array<{ Id: string }>;
    const pushed = await carton(['push', ref]);
    expect(pushed.stderr).toBe('');
    expect(pushed.status).toBe(0);
    const { raw, layers } = await served(ref);
    const digest = 'sha256:' + createHash('sha256').update(raw).digest('hex');
    expect(pushed.stdout.split('\n')).toEqual([
      `The push refers to repository [${registry.host}/me/bb]`,
      ...layers.flatMap((l) => [expect.stringMatching(new RegExp(`^${l.slice(7, 19)}: Pushing`)), `${l.slice(7, 19)}: Pushed`]),
      `1: digest: ${digest} size: ${Buffer.byteLength(raw)}`,
      '',
    ]);
    const removed = await carton(['rmi', ref, 'carton/busybox']);
    expect(removed.stdout).toContain(`Deleted: ${before.Id}`);
    expect((await carton(['images', '-q'])).stdout).toBe('');
    const pulled = await carton(['pull', ref]);
    expect(pulled.status, pulled.stderr).toBe(0);
    expect(pulled.stdout).toContain(`${layers[0].slice(7, 19)}: Pull complete`);
    expect(pulled.stdout).toContain(`Digest: ${digest}`);
    const [after] = JSON.parse((await carton(['image', 'inspect', ref])).stdout) as Array<{ Id: string }>;
    expect(after.Id).toBe(before.Id);
  });

  it('pushing again: every layer already exists; image push -q prints only the name', async () => {
    const ref = `${registry.host}/me/bb:1`;
    const again = await carton(['push', ref]);
    expect(again.status, again.stderr).toBe(0);
    const { layers } = await served(ref);
    for (const l of layers) expect(again.stdout).toContain(`${l.slice(7, 19)}: Layer already exists\n`);
    expect(again.stdout).not.toContain('Pushed');
    const quiet = await carton(['image', 'push', '-q', `${registry.host}/me/bb`]);
    expect(quiet.stderr).toMatch(/no such image/); // :latest was never tagged
    expect((await carton(['tag', ref, `${registry.host}/me/bb`])).status).toBe(0);
    const latest = await carton(['image', 'push', '-q', `${registry.host}/me/bb`]);
    expect(latest.stdout).toBe(`${registry.host}/me/bb:latest\n`);
    expect((await served(`${registry.host}/me/bb:latest`)).layers).toEqual(layers);
  });

  it('a name the store does not have is one clear error', async () => {
    const result = await carton(['push', `${registry.host}/me/missing:1`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`push ${registry.host}/me/missing:1: no such image`);
    expect(result.stderr).toContain(`carton tag IMAGE ${registry.host}/me/missing:1`);
  });

  it('CARTON_OFFLINE=1 refuses a registry beyond this machine before looking anything up', async () => {
    const result = await carton(['push', 'registry.example.com/x']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('push to registry.example.com: carton is offline (CARTON_OFFLINE=1)');
    expect(result.stderr).not.toMatch(/no such image|ENOTFOUND|EAI_AGAIN/);
  });
});
