// Every service key becomes the carton create flag that does the same (lib/compose/engine.ts):
// the command line for a service that uses them all, read back through create's own parser.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../lib/compose/load.js';
import { createArgv } from '../../lib/compose/engine.js';
import { parseArgs } from '../../lib/cli/args.js';
import { create } from '../../lib/cli/commands/create.js';
import { removeDir, tempDir } from '../helpers/index.js';

const FILE = `name: every
services:
  app:
    image: carton/busybox
    entrypoint: ["sh", "-c"]
    command: ["echo hi"]
    environment: {MODE: prod}
    ports: ["127.0.0.1:8080:80"]
    expose: ["9000"]
    volumes: ["data:/data", "./conf:/etc/app:ro", "/cache", {type: tmpfs, target: /run/app, tmpfs: {size: 1000000}}]
    networks:
      front:
        aliases: [www]
      back:
    restart: unless-stopped
    user: "1000:1000"
    working_dir: /srv
    hostname: apphost
    labels: {team: blue}
    init: true
    stop_signal: SIGINT
    stop_grace_period: 5s
    mem_limit: 64m
    memswap_limit: 128m
    cpus: "0.5"
    cpu_shares: 512
    cpuset: "0"
    pids_limit: 50
    cap_add: [NET_ADMIN]
    cap_drop: [MKNOD]
    security_opt: [no-new-privileges]
    tmpfs: [/tmp]
    read_only: true
    extra_hosts: ["db.local:10.0.0.5"]
    dns: [10.0.0.53]
    dns_search: [corp.example]
    dns_opt: [ndots:2]
    privileged: false
    stdin_open: true
    tty: true
    healthcheck:
      test: ["CMD", "true"]
      interval: 2s
      retries: 4
volumes:
  data:
networks:
  front:
  back:
`;

describe('a service as a carton create command line', () => {
  const dir = tempDir('carton-compose-translate-');
  afterAll(() => removeDir(dir));

  it('has a flag for each key, which create\'s own parser takes', async () => {
    mkdirSync(join(dir, 'every'), { recursive: true });
    writeFileSync(join(dir, 'every', 'compose.yaml'), FILE);
    const project = await loadProject({ files: [], profiles: [], envFiles: [], cwd: join(dir, 'every'), env: {} });
    const { argv, healthTest, networks } = createArgv(project, project.services.app, 'HASH', { number: 1 });
    const { flags, operands } = parseArgs('create', argv, create.flags, true);
    expect(operands).toEqual(['carton/busybox', '-c', 'echo hi']);
    expect(flags).toMatchObject({
      name: 'every-app-1', entrypoint: 'sh', network: 'every_back', 'network-alias': ['app'], env: ['MODE=prod'], publish: ['127.0.0.1:8080:80/tcp'], expose: ['9000'],
      volume: ['every_data:/data', `${join(dir, 'every', 'conf')}:/etc/app:ro`, '/cache'], tmpfs: ['/run/app:size=1000000', '/tmp'],
      restart: 'unless-stopped', user: '1000:1000', workdir: '/srv', hostname: 'apphost', init: true, 'stop-signal': 'SIGINT', 'stop-timeout': '5',
      memory: '64m', 'memory-swap': '128m', cpus: '0.5', 'cpu-shares': '512', 'cpuset-cpus': '0', 'pids-limit': '50',
      'cap-add': ['NET_ADMIN'], 'cap-drop': ['MKNOD'], 'security-opt': ['no-new-privileges'], 'read-only': true,
      'add-host': ['db.local:10.0.0.5'], dns: ['10.0.0.53'], 'dns-search': ['corp.example'], 'dns-option': ['ndots:2'],
      interactive: true, tty: true, 'health-interval': '2s', 'health-retries': '4', pull: 'missing',
    });
    expect(flags.privileged).toBeUndefined();
    expect(flags.label).toEqual(expect.arrayContaining(['team=blue', 'com.docker.compose.project=every', 'com.docker.compose.service=app', 'com.docker.compose.container-number=1', 'com.docker.compose.oneoff=False', 'com.docker.compose.config-hash=HASH']));
    expect(healthTest).toEqual(['CMD', 'true']);
    // Networks in name order: the first is eth0's (with the aliases as --network-alias), the rest joined at start.
    expect(networks).toEqual([{ name: 'every_front', aliases: ['app', 'www'] }]);
  });
});
