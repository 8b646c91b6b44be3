// carton compose beyond the acceptance application: a service on two networks (one internal)
// with an alias, a user and an env_file, a restart policy, a profile, and the image round
// trip through a real registry (docker-registry on loopback): build, push, rmi, pull.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carton, isRoot, removeAllContainers, removeDir, tempDir } from '../helpers/index.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const COMPOSE = `services:
  front:
    build: ./app
    image: \${REG}/multi/front:1
    init: true
    user: "1000:1000"
    env_file: front.env
    restart: always
    networks:
      outside:
      inside:
        aliases: [gateway-svc]
  back:
    image: carton/busybox
    init: true
    command: ["sleep", "300"]
    networks: [inside]
    volumes: [/cache]
  debug:
    image: carton/busybox
    init: true
    command: ["sleep", "300"]
    profiles: [debug]
networks:
  outside:
  inside:
    internal: true
`;

describe.skipIf(!isRoot)('carton compose: networks, users, restart, profiles, push and pull (needs root)', () => {
  const dir = tempDir('carton-compose-more-');
  const app = join(dir, 'multi');
  let registry: TestRegistry;
  const compose = (args: string[]) => carton(['compose', '-f', join(app, 'compose.yaml'), ...args], { env: { REG: registry.host } });
  const inspect = async (name: string) => JSON.parse((await carton(['inspect', name])).stdout)[0];

  beforeAll(async () => {
    registry = await startRegistry();
    mkdirSync(join(app, 'app'), { recursive: true });
    writeFileSync(join(app, 'compose.yaml'), COMPOSE);
    writeFileSync(join(app, 'front.env'), 'GREETING=from the env file\n');
    writeFileSync(join(app, 'app', 'Dockerfile'), 'FROM carton/busybox\nCMD ["sleep", "300"]\n');
  }, 60_000);
  afterAll(async () => {
    await compose(['--profile', 'debug', 'down', '-v', '--rmi', 'all']);
    await removeAllContainers();
    await registry?.stop();
    removeDir(dir);
  });

  it('build, push, rmi and pull take the image through the registry', async () => {
    expect((await compose(['build'])).status).toBe(0);
    const push = await compose(['push']);
    expect([push.status, push.stderr]).toEqual([0, expect.any(String)]);
    const tags = execFileSync('/bin/busybox', ['wget', '-qO-', `http://${registry.host}/v2/multi/front/tags/list`], { encoding: 'utf8' });
    expect(JSON.parse(tags)).toEqual({ name: 'multi/front', tags: ['1'] });
    expect((await carton(['rmi', `${registry.host}/multi/front:1`])).status).toBe(0);
    const pull = await compose(['pull', 'front']);
    expect(pull.status).toBe(0);
    expect((await carton(['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout).toContain(`${registry.host}/multi/front:1`);
  });

  it('a service on two networks, with an alias on the internal one, its user and its env_file', async () => {
    const up = await compose(['up', '-d', '--no-build']);
    expect(up.status, up.stderr).toBe(0);
    const front = await inspect('multi-front-1');
    expect(Object.keys(front.NetworkSettings.Networks).sort()).toEqual(['multi_inside', 'multi_outside']);
    const status = readFileSync(`/proc/${front.State.Pid}/status`, 'utf8');
    expect(status).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
    expect((await carton(['exec', 'multi-front-1', 'sh', '-c', 'echo $GREETING'])).stdout).toBe('from the env file\n');
    expect((await carton(['exec', 'multi-front-1', 'ip', '-o', '-4', 'addr'])).stdout).toMatch(/eth0[\s\S]*eth1/);
    // back, on the internal network only: it reaches front by its alias, and has no way out.
    expect((await carton(['exec', 'multi-back-1', 'ping', '-c', '1', '-W', '2', 'gateway-svc'])).status).toBe(0);
    expect((await carton(['exec', 'multi-back-1', 'ip', 'route'])).stdout).not.toMatch(/^default/m);
    expect(JSON.parse((await carton(['network', 'inspect', 'multi_inside'])).stdout)[0].Internal).toBe(true);
  });

  it('restart: always brings the service back when its process dies', async () => {
    const before = await inspect('multi-front-1');
    process.kill(before.State.Pid, 'SIGKILL');
    let after = before;
    for (let i = 0; i < 100 && (after.State.Pid === before.State.Pid || after.State.Status !== 'running'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await inspect('multi-front-1');
    }
    expect([after.State.Status, after.RestartCount]).toEqual(['running', 1]);
    expect(after.State.Pid).not.toBe(before.State.Pid);
  });

  it('a service with a profile starts only with --profile; run -d makes a one-off container', async () => {
    expect((await compose(['ps', '--services'])).stdout.split('\n').filter(Boolean).sort()).toEqual(['back', 'front']);
    expect((await carton(['inspect', 'multi-debug-1'])).status).toBe(1);
    expect((await compose(['--profile', 'debug', 'up', '-d', 'debug'])).status).toBe(0);
    expect((await inspect('multi-debug-1')).State.Status).toBe('running');
    const run = await compose(['run', '-d', 'back', 'sh', '-c', 'echo one-off']);
    expect(run.status).toBe(0);
    const id = run.stdout.trim();
    const oneOff = await inspect(id);
    expect(oneOff.Name).toMatch(/^\/multi-back-run-[0-9a-f]{12}$/);
    expect(oneOff.Config.Labels['com.docker.compose.oneoff']).toBe('True');
    expect((await compose(['config', '--services'])).stdout).toBe('back\nfront\n');
  });

  it('an anonymous volume survives a recreate (the new container takes it over); down -v removes it', async () => {
    expect((await carton(['exec', 'multi-back-1', 'sh', '-c', 'echo cached > /cache/f'])).status).toBe(0);
    const before = await inspect('multi-back-1');
    const volume = before.Mounts.find((m: { Destination: string }) => m.Destination === '/cache').Name;
    expect(volume).toMatch(/^[0-9a-f]{64}$/);
    expect((await compose(['up', '-d', '--no-build', '--force-recreate', 'back'])).status).toBe(0);
    const after = await inspect('multi-back-1');
    expect(after.Id).not.toBe(before.Id);
    expect(after.Mounts.find((m: { Destination: string }) => m.Destination === '/cache').Name).toBe(volume);
    expect((await carton(['exec', 'multi-back-1', 'cat', '/cache/f'])).stdout).toBe('cached\n');
    expect((await compose(['--profile', 'debug', 'down', '-v'])).status).toBe(0);
    expect((await carton(['volume', 'ls', '-q'])).stdout).not.toContain(volume);
  });
});
