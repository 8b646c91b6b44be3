// carton compose as a user drives it (chapter 11's acceptance): a three-service application on
// carton/busybox images, one built from a Dockerfile by `up --build`: a web front end on a
// published port that fetches its page from the API by service name, the API with a named
// volume and a health check, and a one-shot job that must complete before the web starts.
// Checked in the kernel and on the host: processes, addresses, the bridge, the volume's
// directory, the published port from 127.0.0.1; and at the end, nothing left.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { freePort } from '../helpers/registry.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carton, isRoot, mountsUnder, removeAllContainers, removeDir, tempDir } from '../helpers/index.js';
import { cgroupLayout } from '../../solutions/00-doctor/cgroup-layout.js';

/** A cgroup file of the process `pid`: the v1 controller's hierarchy if it has one, else the v2 tree. */
function cgroupFile(pid: number, controller: string, v1File: string, v2File: string): string {
  const layout = cgroupLayout();
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n').map((l) => l.split(':'));
  const v1 = lines.find(([, c]) => c.split(',').includes(controller));
  if (layout.v1[controller] && v1) return readFileSync(join(layout.v1[controller], v1[2], v1File), 'utf8').trim();
  const v2 = lines.find(([h]) => h === '0')!;
  return readFileSync(join(layout.v2Mount!, v2[2], v2File), 'utf8').trim();
}

const COMPOSE = `name: shop
services:
  web:
    image: carton/busybox
    init: true
    command: ["sh", "-c", "mkdir -p /www && wget -qO /www/index.html http://api:8000/status && exec httpd -f -p 80 -h /www"]
    ports:
      - "127.0.0.1:\${WEB_PORT:?give WEB_PORT}:80"
    environment:
      EDITION: "\${EDITION:-1}"
    depends_on:
      api:
        condition: service_healthy
      job:
        condition: service_completed_successfully
  api:
    build: ./api
    init: true
    mem_limit: 64m
    pids_limit: 50
    volumes:
      - data:/data
  job:
    image: carton/busybox
    command: ["sh", "-c", "echo job done; echo status from the api: \${GREETING} > /data/status"]
    volumes:
      - data:/data
volumes:
  data:
`;

const DOCKERFILE = `FROM carton/busybox
RUN mkdir -p /srv && echo ok > /srv/health
HEALTHCHECK --interval=200ms --retries=100 CMD wget -qO- http://127.0.0.1:8000/health
CMD ["sh", "-c", "ln -sf /data/status /srv/status; exec httpd -f -p 8000 -h /srv"]
`;


describe.skipIf(!isRoot)('carton compose: a three-service application (needs root)', () => {
  const dir = tempDir('carton-compose-');
  const app = join(dir, 'shop');
  let env: Record<string, string> = {};
  const compose = (args: string[], more: Record<string, string> = {}) => carton(['compose', ...args], { env: { ...env, ...more } });
  const ids = async (all = false) => Object.fromEntries((await compose(['-f', join(app, 'compose.yaml'), 'ps', ...(all ? ['-a'] : []), '--format', '{{.Service}} {{.ID}}'])).stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' ')));
  const inspect = async (name: string) => JSON.parse((await carton(['inspect', name])).stdout)[0];
  // The web's httpd listens a moment after its container starts (it fetches its page first):
  // ask until it answers, for at most ten seconds.
  const page = async () => {
    for (let i = 0; ; i++) {
      try {
        return execFileSync('/bin/busybox', ['wget', '-qO-', `http://127.0.0.1:${env.WEB_PORT}/`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        if (i >= 100) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  beforeAll(async () => {
    mkdirSync(join(app, 'api'), { recursive: true });
    writeFileSync(join(app, 'compose.yaml'), COMPOSE);
    writeFileSync(join(app, 'api', 'Dockerfile'), DOCKERFILE);
    writeFileSync(join(app, '.env'), 'GREETING=hello\n');
    env = { WEB_PORT: String(await freePort()) };
  });
  afterAll(async () => {
    await compose(['-f', join(app, 'compose.yaml'), 'down', '-v', '--rmi', 'local']);
    await removeAllContainers();
    removeDir(dir);
  });

  it('up -d --build --wait returns when the API is healthy and the job has completed; the page is served from 127.0.0.1', async () => {
    const up = await compose(['-f', join(app, 'compose.yaml'), 'up', '-d', '--build', '--wait']);
    expect([up.status, up.stderr]).toEqual([0, expect.stringContaining('Container shop-web-1  Started')]);
    // The web fetched its page from the API by its service name, over the project's network.
    expect(await page()).toBe('status from the api: hello\n');
    const [web, api, job] = await Promise.all(['shop-web-1', 'shop-api-1', 'shop-job-1'].map(inspect));
    expect([web.State.Status, api.State.Status, job.State.Status, job.State.ExitCode]).toEqual(['running', 'running', 'exited', 0]);
    expect(api.State.Health.Status).toBe('healthy');
    expect(Date.parse(web.State.StartedAt)).toBeGreaterThan(Date.parse(job.State.FinishedAt)); // the job completed first
    expect(existsSync(`/proc/${web.State.Pid}`) && existsSync(`/proc/${api.State.Pid}`)).toBe(true);
    // One network, shop_default: both on its subnet, with the service names as aliases.
    const net = JSON.parse((await carton(['network', 'inspect', 'shop_default'])).stdout)[0];
    expect(net.Labels).toMatchObject({ 'com.docker.compose.project': 'shop', 'com.docker.compose.network': 'default' });
    expect(Object.values(net.Containers).map((c) => (c as { Name: string }).Name).sort()).toEqual(['shop-api-1', 'shop-web-1']);
    const hosts = (await carton(['exec', 'shop-web-1', 'cat', '/etc/hosts'])).stdout;
    expect(hosts).toMatch(new RegExp(`^${api.NetworkSettings.Networks.shop_default.IPAddress}\\s.*\\bapi\\b`, 'm'));
    expect(execFileSync('ip', ['-o', 'link', 'show', net.Options['com.docker.network.bridge.name']], { encoding: 'utf8' })).toContain('UP');
    // The named volume shop_data: the job's file is in its directory on the host.
    const volume = JSON.parse((await carton(['volume', 'inspect', 'shop_data'])).stdout)[0];
    expect(readFileSync(join(volume.Mountpoint, 'status'), 'utf8')).toBe('status from the api: hello\n');
    expect(api.Config.Labels).toMatchObject({ 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'api', 'com.docker.compose.container-number': '1', 'com.docker.compose.oneoff': 'False' });
    expect(api.Config.Image).toBe('shop-api');
    // mem_limit and pids_limit are the API's cgroup limits.
    expect(cgroupFile(api.State.Pid, 'memory', 'memory.limit_in_bytes', 'memory.max')).toBe(String(64 * 1024 * 1024));
    expect(cgroupFile(api.State.Pid, 'pids', 'pids.max', 'pids.max')).toBe('50');
  });

  it('ps, logs, exec and run --rm work on the services', async () => {
    const ps = await compose(['-f', join(app, 'compose.yaml'), 'ps']);
    expect(ps.stdout.split('\n')[0]).toMatch(/^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS$/);
    expect(Object.keys(await ids()).sort()).toEqual(['api', 'web']);
    expect(Object.keys(await ids(true)).sort()).toEqual(['api', 'job', 'web']);
    const logs = await compose(['--project-directory', app, '-p', 'shop', '-f', join(app, 'compose.yaml'), 'logs', 'job']);
    expect(logs.stdout).toBe('shop-job-1  | job done\n');
    const exec = await compose(['-f', join(app, 'compose.yaml'), 'exec', '-T', 'web', 'sh', '-c', 'cat /www/index.html; echo $EDITION']);
    expect([exec.status, exec.stdout]).toEqual([0, 'status from the api: hello\n1\n']);
    const before = (await carton(['ps', '-aq'])).stdout;
    const run = await compose(['-f', join(app, 'compose.yaml'), 'run', '--rm', 'job', 'cat', '/data/status']);
    expect([run.status, run.stdout]).toEqual([0, 'status from the api: hello\n']);
    const failing = await compose(['-f', join(app, 'compose.yaml'), 'run', '--rm', '-T', 'job', 'sh', '-c', 'exit 7']);
    expect(failing.status).toBe(7);
    expect((await carton(['ps', '-aq'])).stdout).toBe(before); // the one-off containers are gone
  });

  it('restart gives the API a new process, healthy again; up -d after an edit recreates only the service that changed', async () => {
    const oldApi = await inspect('shop-api-1');
    const restart = await compose(['-f', join(app, 'compose.yaml'), 'restart', 'api']);
    expect(restart.status).toBe(0);
    const newApi = await inspect('shop-api-1');
    expect(newApi.State.Pid).not.toBe(oldApi.State.Pid);
    expect(existsSync(`/proc/${oldApi.State.Pid}`)).toBe(false);
    const before = await ids(true);
    const again = await compose(['-f', join(app, 'compose.yaml'), 'up', '-d', '--wait']);
    expect(again.status).toBe(0);
    expect(await ids(true)).toEqual(before); // nothing changed: nothing recreated
    const edited = await compose(['-f', join(app, 'compose.yaml'), 'up', '-d', '--wait'], { EDITION: '2' });
    expect(edited.status).toBe(0);
    const after = await ids(true);
    expect(after.web).not.toBe(before.web);
    expect([after.api, after.job]).toEqual([before.api, before.job]);
    expect((await carton(['exec', 'shop-web-1', 'sh', '-c', 'echo $EDITION'])).stdout).toBe('2\n');
    expect(await page()).toBe('status from the api: hello\n');
  });

  it('port, top, images, ls, stop, start, kill and --scale act on the project', async () => {
    const f = ['-f', join(app, 'compose.yaml')];
    expect((await compose([...f, 'port', 'web', '80'])).stdout).toBe(`127.0.0.1:${env.WEB_PORT}\n`);
    const api = await inspect('shop-api-1');
    const top = await compose([...f, 'top', 'api']);
    expect(top.stdout.split('\n')[0]).toBe('shop-api-1');
    expect(top.stdout).toMatch(new RegExp(`\\s${api.State.Pid}\\s`));
    expect((await compose([...f, 'images'])).stdout).toMatch(/^shop-api-1\s+shop-api\s+latest\s+[0-9a-f]{12}$/m);
    expect((await carton(['compose', 'ls'])).stdout).toMatch(new RegExp(`^shop\\s+running\\(2\\).*\\s${join(app, 'compose.yaml').replaceAll('/', '\\/')}$`, 'm'));
    expect((await compose([...f, 'stop', 'web'])).status).toBe(0);
    expect((await inspect('shop-web-1')).State.Status).toBe('exited');
    expect(existsSync(`/proc/${api.State.Pid}`)).toBe(true); // only web stopped
    expect((await compose([...f, 'start', 'web'])).status).toBe(0);
    expect(await page()).toBe('status from the api: hello\n');
    const scaled = await compose([...f, 'up', '-d', '--wait', '--scale', 'api=2']);
    expect(scaled.status).toBe(0);
    const two = await inspect('shop-api-2');
    expect(two.State.Health.Status).toBe('healthy');
    const hosts = (await carton(['exec', 'shop-web-1', 'cat', '/etc/hosts'])).stdout;
    expect(hosts).toMatch(new RegExp(`^${two.NetworkSettings.Networks.shop_default.IPAddress}\\s.*\\bapi\\b`, 'm')); // both answer to "api"
    expect((await compose([...f, 'up', '-d', '--wait'])).status).toBe(0); // back to the file's scale: api-2 goes
    expect((await carton(['inspect', 'shop-api-2'])).status).toBe(1);
    expect((await compose([...f, 'kill', 'web'])).status).toBe(0);
    expect((await inspect('shop-web-1')).State.ExitCode).toBe(137);
    expect((await compose([...f, 'up', '-d', '--wait'])).status).toBe(0);
    expect(await page()).toBe('status from the api: hello\n');
  });

  it('malformed files get one clear error naming the file and key, and start nothing', async () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad, { recursive: true });
    const cases: Array<[string, RegExp]> = [
      ['services:\n  web:\n    image: carton/busybox\n    ports: ["99999:80"]\n', /^carton: \S*\/bad\/compose\.yaml: services\.web\.ports\[0\]: published port "99999"/],
      ['services:\n  web:\n    image: carton/busybox\n    depends_on: [db]\n  db:\n    image: carton/busybox\n    depends_on: [web]\n', /^carton: \S*\/bad\/compose\.yaml: depends_on: dependency cycle detected: db -> web -> db/],
      ['services:\n  web:\n    image: carton/busybox\n    command: "${NOPE:?set NOPE}"\n', /^carton: \S*\/bad\/compose\.yaml: services\.web\.command: required variable NOPE is missing a value: set NOPE/],
      ['services:\n  web:\n    image: carton/busybox\n    colour: blue\n', /^carton: \S*\/bad\/compose\.yaml: services\.web: additional property colour is not allowed/],
      ['services:\n  web: [\n', /^carton: \S*\/bad\/compose\.yaml:\d+:\d+: /],
    ];
    const networksBefore = (await carton(['network', 'ls', '-q'])).stdout;
    for (const [text, error] of cases) {
      writeFileSync(join(bad, 'compose.yaml'), text);
      const r = await compose(['-f', join(bad, 'compose.yaml'), 'up', '-d']);
      expect([r.status, r.stderr]).toEqual([1, expect.stringMatching(error)]);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('carton:'))).toHaveLength(1);
    }
    expect((await carton(['ps', '-a', '--filter', 'label=com.docker.compose.project=bad', '-q'])).stdout).toBe('');
    expect((await carton(['network', 'ls', '-q'])).stdout).toBe(networksBefore);
  });

  it('down -v leaves no container, network, volume, mount, veth or rule behind', async () => {
    const net = JSON.parse((await carton(['network', 'inspect', 'shop_default'])).stdout)[0];
    const bridge = net.Options['com.docker.network.bridge.name'];
    const volume = JSON.parse((await carton(['volume', 'inspect', 'shop_data'])).stdout)[0];
    const down = await compose(['-f', join(app, 'compose.yaml'), 'down', '-v']);
    expect(down.status).toBe(0);
    expect((await carton(['ps', '-aq'])).stdout).toBe('');
    expect((await carton(['network', 'ls', '--format', '{{.Name}}'])).stdout).not.toContain('shop_default');
    expect((await carton(['volume', 'ls', '-q'])).stdout).not.toContain('shop_data');
    expect(existsSync(volume.Mountpoint)).toBe(false);
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).not.toContain(bridge);
    expect(execFileSync('nft', ['list', 'table', 'ip', process.env.CARTON_NFT_TABLE!], { encoding: 'utf8' })).not.toMatch(/dnat to|post-cb-/);
    expect(mountsUnder(process.env.CARTON_RUN!)).toEqual([]);
    expect((await compose(['-f', join(app, 'compose.yaml'), 'ps', '-a', '-q'])).stdout).toBe('');
  });
});
