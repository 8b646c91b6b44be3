// A built image is a real image: carton build's result pushed to a registry (Debian's
// docker-registry on 127.0.0.1) reads back with skopeo, the independent client; skopeo
// copies it to an OCI layout that umoci unpacks into a runtime bundle; runc runs that bundle,
// and so does carton's own OCI runtime; and carton pulls it back and runs it. All four give
// the output the Dockerfile says.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carton, collect, isRoot, removeAllContainers, removeDir, repo, tempDir } from '../helpers/index.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const run = (command: string, args: string[]) => collect(spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }));

describe.skipIf(!isRoot)('a built image round-trips through a registry, skopeo, umoci and runc (needs root)', () => {
  let registry: TestRegistry;
  const dir = tempDir('carton-build-rt-');
  let ref = '';
  beforeAll(async () => {
    registry = await startRegistry();
    ref = `${registry.host}/me/built:1`;
  }, 60_000);
  afterAll(async () => {
    await registry?.stop();
    await removeAllContainers();
    await carton(['rmi', '-f', ref]);
    removeDir(dir);
  });

  it('build, push, skopeo inspect and copy, umoci unpack, runc run, carton oci run, rmi and pull, carton run', async () => {
    const context = join(dir, 'context');
    mkdirSync(context);
    writeFileSync(join(context, 'app.sh'), '#!/bin/sh\necho "greeting: $GREETING from $(pwd)"\ncat /srv/made.txt\n');
    chmodSync(join(context, 'app.sh'), 0o755);
    writeFileSync(join(context, 'Dockerfile'), 'FROM carton/busybox\nENV GREETING=hello\nWORKDIR /srv\nCOPY app.sh /usr/local/bin/app\nRUN echo made-in-a-run > /srv/made.txt\nCMD ["app"]\n');
    const expected = 'greeting: hello from /srv\nmade-in-a-run\n';
    const built = await carton(['build', '-q', '--network', 'none', '-t', ref, context]);
    expect(built.status, built.stderr).toBe(0);
    const id = built.stdout.trim();
    const pushed = await carton(['push', ref]);
    expect(pushed.status, pushed.stderr).toBe(0);

    // skopeo reads what the registry holds: the config the Dockerfile made, three layers.
    const inspected = await run('skopeo', ['inspect', '--tls-verify=false', `docker://${ref}`]);
    expect(inspected.status, inspected.stderr).toBe(0);
    const info = JSON.parse(inspected.stdout) as { Layers: string[]; Env: string[] };
    expect(info.Layers).toHaveLength(3); // busybox, the COPY, the RUN
    expect(info.Env).toContain('GREETING=hello');
    const config = await run('skopeo', ['inspect', '--tls-verify=false', '--config', '--raw', `docker://${ref}`]);
    expect(JSON.parse(config.stdout).config).toMatchObject({ Cmd: ['app'], WorkingDir: '/srv' });

    // An OCI layout made by skopeo, a bundle made by umoci, run by runc and by carton oci.
    const layout = join(dir, 'layout');
    const copied = await run('skopeo', ['copy', '--src-tls-verify=false', `docker://${ref}`, `oci:${layout}:built`]);
    expect(copied.status, copied.stderr).toBe(0);
    const bundle = join(dir, 'bundle');
    const unpacked = await run('umoci', ['unpack', '--image', `${layout}:built`, bundle]);
    expect(unpacked.status, unpacked.stderr).toBe(0);
    const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
    expect(spec.process).toMatchObject({ args: ['app'], cwd: '/srv', env: expect.arrayContaining(['GREETING=hello']) });
    spec.process.terminal = false; // umoci asks for a terminal; the test has none
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
    mkdirSync(join(dir, 'runc-state'));
    const byRunc = await run('runc', ['--root', join(dir, 'runc-state'), 'run', '-b', bundle, `carton-rt-runc-${process.pid}`]);
    expect([byRunc.status, byRunc.stdout], byRunc.stderr).toEqual([0, expected]);
    const byCarton = await run(join(repo, 'lib/cli/carton'), ['oci', '--root', join(dir, 'oci-state'), 'run', '-b', bundle, `carton-rt-oci-${process.pid}`]);
    expect([byCarton.status, byCarton.stdout], byCarton.stderr).toEqual([0, expected]);

    // Back into carton from the registry: the same image ID, and it runs.
    expect((await carton(['rmi', ref])).status).toBe(0);
    const pulled = await carton(['pull', ref]);
    expect(pulled.status, pulled.stderr).toBe(0);
    expect(JSON.parse((await carton(['image', 'inspect', ref])).stdout)[0].Id).toBe(id);
    const ran = await carton(['run', '--rm', '--network', 'none', ref]);
    expect([ran.status, ran.stdout], ran.stderr).toEqual([0, expected]);
  });
});
