// Reading a compose project: files, names, variables, merge rules and the checks that refuse a
// malformed file with the file and the key's path. Logic only (no containers): the files are
// written to a temporary directory.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../lib/compose/load.js';
import { removeDir, tempDir } from '../helpers/index.js';

const root = tempDir('carton-compose-model-');
let n = 0;

/** A project directory with these files; returns its path. */
function project(files: Record<string, string>, name = `proj${n++}`): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

const load = (dir: string, more: Partial<Parameters<typeof loadProject>[0]> = {}) => loadProject({ files: [], profiles: [], envFiles: [], cwd: dir, env: {}, ...more });

describe('compose files and projects', () => {
  afterAll(() => removeDir(root));

  it('finds compose.yaml and its override; the project is named after the directory, normalized', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports: ["80"]\n', 'compose.override.yaml': 'services:\n  web:\n    ports: ["8080:80"]\n    environment: [A=1]\n' }, 'My.App_1');
    const p = await load(dir);
    expect(p.name).toBe('myapp_1');
    expect(p.configFiles).toEqual([join(dir, 'compose.yaml'), join(dir, 'compose.override.yaml')]);
    expect(p.services.web.ports).toEqual(['80/tcp', '8080:80/tcp']); // ports are appended
    expect(p.services.web.environment).toEqual({ A: '1' });
    expect(p.networks.default.name).toBe('myapp_1_default');
    expect(p.services.web.networks).toEqual({ default: { aliases: [] } });
  });

  it('-p, then COMPOSE_PROJECT_NAME, then name:, then the directory; a bad -p is refused', async () => {
    const dir = project({ 'compose.yaml': 'name: fromfile\nservices:\n  a:\n    image: x\n' });
    expect((await load(dir)).name).toBe('fromfile');
    expect((await load(dir, { env: { COMPOSE_PROJECT_NAME: 'fromenv' } })).name).toBe('fromenv');
    expect((await load(dir, { projectName: 'flag', env: { COMPOSE_PROJECT_NAME: 'fromenv' } })).name).toBe('flag');
    await expect(load(dir, { projectName: 'Bad Name' })).rejects.toThrow(/invalid project name/);
  });

  it('-f files merge by Docker Compose\'s rules: maps by key, volumes by target, command replaced', async () => {
    const dir = project({
      'a.yaml': 'services:\n  web:\n    image: one\n    command: ["a", "b"]\n    labels: {x: "1", y: "2"}\n    volumes: ["./src:/app", "data:/data"]\nvolumes:\n  data: {}\n',
      'b.yaml': 'services:\n  web:\n    image: two\n    command: c\n    labels: [y=3]\n    volumes: ["./other:/app"]\n',
    });
    const p = await load(dir, { files: ['a.yaml', 'b.yaml'] });
    const web = p.services.web;
    expect([web.image, web.command, web.labels]).toEqual(['two', ['c'], { x: '1', y: '3' }]);
    expect(web.volumes.map((m) => [m.type, m.source, m.target])).toEqual([['bind', join(dir, 'other'), '/app'], ['volume', 'data', '/data']]);
  });

  it('variables: the shell over .env; --env-file instead of .env; KEY alone takes the shell\'s', async () => {
    const dir = project({
      'compose.yaml': 'services:\n  web:\n    image: "app:${TAG:-latest}"\n    environment:\n      - FROM_SHELL\n      - MODE=${MODE}\n',
      '.env': 'TAG=1.0\nMODE="from dot env" # a comment\n',
      'other.env': "TAG='2.0'\n",
    });
    expect((await load(dir)).services.web.image).toBe('app:1.0');
    expect((await load(dir, { env: { TAG: '9' } })).services.web.image).toBe('app:9');
    expect((await load(dir, { envFiles: [join(dir, 'other.env')] })).services.web.image).toBe('app:2.0');
    expect((await load(dir, { env: { FROM_SHELL: 'yes' } })).services.web.environment).toEqual({ FROM_SHELL: 'yes', MODE: 'from dot env' });
    expect((await load(dir)).services.web.environment).toEqual({ MODE: 'from dot env' });
  });

  it('profiles: a service with profiles starts only when one is enabled', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  web:\n    image: w\n  debug:\n    image: d\n    profiles: [dev]\n' });
    expect(Object.keys((await load(dir)).services)).toEqual(['web']);
    expect(Object.keys((await load(dir)).disabled)).toEqual(['debug']);
    expect(Object.keys((await load(dir, { profiles: ['dev'] })).services).sort()).toEqual(['debug', 'web']);
  });

  it('long and short forms become one shape', async () => {
    const dir = project({
      'compose.yaml': `services:
  web:
    image: w
    command: sh -c 'echo "a b"; exit 0'
    ports:
      - target: 80
        published: 8080
        host_ip: 127.0.0.1
      - 9000
    volumes:
      - type: tmpfs
        target: /cache
        tmpfs: {size: 1000000}
      - type: bind
        source: ./conf
        target: /etc/app
        read_only: true
    networks:
      front:
        aliases: [www]
    depends_on: [db]
    healthcheck:
      test: wget -qO- localhost
      interval: 2s
      retries: 5
    deploy:
      replicas: 2
      resources:
        limits: {cpus: "0.5", memory: 64M}
    extra_hosts:
      - "a.example:10.0.0.1"
    stop_grace_period: 1m30s
  db:
    image: d
networks:
  front:
`,
    });
    const web = (await load(dir)).services.web;
    expect(web.command).toEqual(['sh', '-c', 'echo "a b"; exit 0']);
    expect(web.ports).toEqual(['127.0.0.1:8080:80/tcp', '9000/tcp']);
    expect(web.volumes).toEqual([{ type: 'tmpfs', source: '', target: '/cache', readOnly: false, options: 'size=1000000' }, { type: 'bind', source: join(dir, 'conf'), target: '/etc/app', readOnly: true }]);
    expect(web.networks).toEqual({ front: { aliases: ['www'] } });
    expect(web.dependsOn).toEqual({ db: { condition: 'service_started', required: true, restart: false } });
    expect(web.healthcheck).toMatchObject({ test: ['CMD-SHELL', 'wget -qO- localhost'], interval: '2s', retries: 5, disable: false });
    expect([web.replicas, web.cpus, web.memLimit, web.extraHosts, web.stopGracePeriod]).toEqual([2, '0.5', '64M', ['a.example:10.0.0.1'], 90]);
  });

  it('networks: internal, external (by its own name), ipam; env_file under environment', async () => {
    const dir = project({
      'compose.yaml': 'services:\n  web:\n    image: w\n    env_file: [web.env]\n    environment: {B: override}\n    networks: [back, shared]\nnetworks:\n  back:\n    internal: true\n    ipam:\n      config: [{subnet: 10.123.0.0/24}]\n  shared:\n    external: true\n    name: corp\n',
      'web.env': 'A=1\nB=2\n',
    });
    const p = await load(dir);
    expect(p.networks.back).toEqual({ name: `${p.name}_back`, external: false, labels: {}, subnet: '10.123.0.0/24', internal: true });
    expect(p.networks.shared).toMatchObject({ name: 'corp', external: true });
    expect(p.services.web.environment).toEqual({ A: '1', B: 'override' });
  });

  const bad: Array<[string, string, RegExp]> = [
    ['bad YAML', 'services:\n  web:\n    image: a\n   ports: [', /compose\.yaml:\d+:\d+: /],
    ['an unknown key', 'services:\n  web:\n    image: a\n    imagee: b\n', /compose\.yaml: services\.web: additional property imagee is not allowed/],
    ['an unknown top-level key', 'servics: {}\n', /compose\.yaml: \(root\): additional property servics/],
    ['a port out of range', 'services:\n  web:\n    image: a\n    ports: ["80:80", "70000:80"]\n', /services\.web\.ports\[1\]: published port "70000" is not a port number/],
    ['a cycle in depends_on', 'services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [a]\n', /compose\.yaml: depends_on: dependency cycle detected: a -> b -> a/],
    ['an undefined variable with :?', 'services:\n  web:\n    image: "app:${TAG:?set TAG first}"\n', /services\.web\.image: required variable TAG is missing a value: set TAG first/],
    ['an undefined service in depends_on', 'services:\n  web:\n    image: a\n    depends_on: [db]\n', /services\.web\.depends_on: service web depends on undefined service db/],
    ['an undeclared volume', 'services:\n  web:\n    image: a\n    volumes: ["data:/data"]\n', /services\.web\.volumes\[0\]: service refers to undefined volume data/],
    ['an undeclared network', 'services:\n  web:\n    image: a\n    networks: [back]\n', /services\.web\.networks: service refers to undefined network back/],
    ['a wrong type', 'services:\n  web:\n    image: a\n    read_only: maybe\n', /services\.web\.read_only: must be a boolean/],
    ['a key carton cannot honour', 'services:\n  web:\n    image: a\n    secrets: [x]\n', /services\.web\.secrets: is not supported by carton yet/],
    ['no image and no build', 'services:\n  web:\n    command: x\n', /services\.web: has neither an image nor a build/],
    ['no services', 'services: {}\n', /no services/],
  ];
  for (const [what, text, error] of bad) {
    it(`refuses ${what}, naming the file and the key`, async () => {
      await expect(load(project({ 'compose.yaml': text }))).rejects.toThrow(error);
    });
  }

  it('no compose file here: a clear error', async () => {
    await expect(load(project({}))).rejects.toThrow(/no configuration file provided/);
  });
});
