// carton exec: a second process in a running container's namespaces.
import { readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carton, isRoot, repo } from '../helpers/index.js';
import { Terminal } from '../helpers/terminal.js';

describe.skipIf(!isRoot)('carton exec (needs root)', () => {
  let pid: number;
  beforeAll(async () => {
    await carton(['run', '-d', '--name', 'target', '-h', 'inside', '-e', 'FROM_RUN=yes', 'carton/busybox', 'sh', '-c', 'echo data > /tmp/marker; exec sleep 300']);
    pid = JSON.parse((await carton(['inspect', 'target'])).stdout)[0].State.Pid;
  });
  afterAll(async () => {
    await carton(['rm', '-f', 'target']);
  });

  it('runs the command in every namespace of the container, and sees its files', async () => {
    const types = ['mnt', 'uts', 'ipc', 'net', 'pid', 'cgroup'];
    const result = await carton(['exec', 'target', 'sh', '-c', `hostname; cat /tmp/marker; echo $FROM_RUN; ${types.map((t) => `readlink /proc/self/ns/${t}`).join('; ')}`]);
    const [hostname, marker, env, ...ns] = result.stdout.trim().split('\n');
    expect([hostname, marker, env]).toEqual(['inside', 'data', 'yes']);
    types.forEach((type, i) => expect(ns[i], type).toBe(readlinkSync(`/proc/${pid}/ns/${type}`)));
  });

  it('sees only the container\'s processes, its PID 1 among them', async () => {
    const result = await carton(['exec', 'target', 'ps', '-o', 'pid,comm']);
    const rows = result.stdout.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
    expect(rows.find((r) => r[0] === '1')?.[1]).toBe('sleep');
    expect(rows.map((r) => r[1]).sort()).toEqual(['ps', 'sleep']);
  });

  it('honours -e, -w and -u, and propagates the exit status', async () => {
    const result = await carton(['exec', '-e', 'X=1', '-w', '/tmp', '-u', '65534:65534', 'target', 'sh', '-c', 'echo $X $(pwd) $(id -u):$(id -g); exit 6']);
    expect(result.stdout).toBe('1 /tmp 65534:65534\n');
    expect(result.status).toBe(6);
  });

  it('exits 127 for a missing command, and refuses a stopped container', async () => {
    const missing = await carton(['exec', 'target', 'nosuchcommand']);
    expect(missing.status).toBe(127);
    expect(missing.stderr).toMatch(/executable file not found/);
    await carton(['run', '--name', 'stopped', 'carton/busybox', 'true']);
    const stopped = await carton(['exec', 'stopped', 'true']);
    expect(stopped.status).toBe(125);
    expect(stopped.stderr).toMatch(/container stopped is not running/);
    await carton(['rm', 'stopped']);
  });

  it('-it gives an interactive shell with a real terminal: size, Ctrl-C, exit status', async () => {
    const env = `CARTON_ROOT=${process.env.CARTON_ROOT} CARTON_RUN=${process.env.CARTON_RUN}`;
    const term = new Terminal(`cd ${repo} && ${env} lib/cli/carton exec -it target sh; echo "EXIT=$?"`);
    try {
      await term.waitFor(/^\/ #/m);
      term.type('stty size; sleep 300\n');
      await term.waitFor(/^30 100$/m);
      term.press('C-c');
      await term.waitFor(/\^C\n\/ #/); // the shell is back at its prompt
      term.type('echo after=$?; exit 4\n');
      await term.waitFor(/after=130/);
      await term.waitFor(/^EXIT=4$/m);
    } finally {
      term.close();
    }
  });
});
