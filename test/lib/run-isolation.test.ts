// The composed `carton run` (chapters 01–03): what a container sees, checked against the
// kernel's view from outside, and that nothing is left behind.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carton, collect, isRoot, mountsUnder, removeDir, repo, tempDir } from '../helpers/index.js';

describe.skipIf(!isRoot)('carton run isolation (needs root)', () => {
  let state: string;
  let env: Record<string, string>;
  beforeAll(() => {
    state = tempDir('carton-state-');
    env = { CARTON_ROOT: join(state, 'lib'), CARTON_RUN: join(state, 'run') };
  });
  afterAll(() => removeDir(state));
  const run = (args: string[], input?: string) => carton(['run', '--rm', ...args], { env, input });

  it('gives the command PID 1 and shows only the container\'s processes', async () => {
    const result = await run(['carton/busybox', 'sh', '-c', 'echo $$; ps -o pid,comm; true']);
    const [pid, , ...ps] = result.stdout.trim().split('\n');
    expect(pid).toBe('1');
    const processes = ps.map((l) => l.trim().split(/\s+/));
    expect(processes.map((p) => p[1]).sort()).toEqual(['ps', 'sh']);
    expect(processes.find((p) => p[1] === 'sh')?.[0]).toBe('1');
  });

  it('puts the container in new namespaces of every type but user', async () => {
    const types = ['mnt', 'uts', 'ipc', 'pid', 'net', 'cgroup'];
    const result = await run(['carton/busybox', 'sh', '-c', types.map((t) => `readlink /proc/self/ns/${t}`).join(';')]);
    const inside = result.stdout.trim().split('\n');
    expect(inside).toHaveLength(types.length);
    types.forEach((type, i) => expect(inside[i], type).not.toBe(readlinkSync(`/proc/self/ns/${type}`)));
  });

  it('sets the hostname, and /etc/hostname and /etc/hosts match it', async () => {
    const result = await run(['--hostname', 'box1', 'carton/busybox', 'sh', '-c', 'hostname; cat /etc/hostname; grep -c box1 /etc/hosts']);
    expect(result.stdout).toBe('box1\nbox1\n1\n');
  });

  it('shows only the container\'s own mounts, with /proc/sys read-only and /proc/keys masked', async () => {
    const result = await run(['carton/busybox', 'sh', '-c', 'cut -d" " -f5 /proc/self/mountinfo; echo x > /proc/sys/kernel/hostname && echo WRITABLE; wc -c < /proc/keys']);
    const lines = result.stdout.trim().split('\n');
    const mountPoints = lines.slice(0, -1);
    expect(mountPoints[0]).toBe('/');
    for (const expected of ['/proc', '/sys', '/dev', '/dev/pts', '/dev/shm', '/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/proc/sys']) expect(mountPoints).toContain(expected);
    expect(mountPoints.some((m) => m.startsWith('/work') || m.startsWith('/tmp/carton'))).toBe(false);
    expect(result.stdout).not.toContain('WRITABLE');
    expect(result.stderr).toMatch(/Read-only file system/);
    expect(lines.at(-1)).toBe('0');
  });

  it('has a /dev of its own with working devices', async () => {
    const result = await run(['carton/busybox', 'sh', '-c', 'ls /dev | tr "\\n" " "; head -c 3 /dev/zero | od -An -tx1']);
    for (const dev of ['null', 'zero', 'full', 'random', 'urandom', 'tty', 'ptmx', 'pts', 'shm', 'fd', 'stdin', 'stdout', 'stderr']) expect(result.stdout).toContain(dev);
    expect(result.stdout).toContain('00 00 00');
  });

  it('runs as the user given with -u, with its group', async () => {
    const result = await run(['-u', '65534:65534', 'carton/busybox', 'id']);
    expect(result.stdout.trim()).toMatch(/^uid=65534\(nobody\) gid=65534\(nogroup\) groups=65534\(nogroup\)$/);
  });

  it('reads --env-file and -e, and -w creates a missing working directory', async () => {
    const file = join(state, 'env');
    writeFileSync(file, '# comment\nA=from-file\nB=2\n');
    const result = await run(['--env-file', file, '-e', 'B=3', '-w', '/new/dir', 'carton/busybox', 'sh', '-c', 'echo $A $B $(pwd)']);
    expect(result.stdout).toBe('from-file 3 /new/dir\n');
  });

  it('gives the command stdin only with -i, as Docker does', async () => {
    expect((await run(['-i', 'carton/busybox', 'cat'], 'piped\n')).stdout).toBe('piped\n');
    expect((await run(['carton/busybox', 'cat'], 'piped\n')).stdout).toBe('');
  });

  it('leaves no mounts, state or processes behind', async () => {
    await run(['carton/busybox', 'true']);
    expect(mountsUnder(state)).toEqual([]);
    expect(existsSync(join(state, 'run')) ? readdirSync(join(state, 'run')) : []).toEqual([]);
  });
});

describe.skipIf(!isRoot)('signals reach the container (needs root)', () => {
  let state: string;
  beforeAll(() => (state = tempDir('carton-state-')));
  afterAll(() => removeDir(state));

  function start(args: string[]) {
    const child = spawn(process.execPath, [join(repo, 'lib/cli/carton.js'), 'run', '--rm', ...args], {
      env: { ...process.env, CARTON_ROOT: join(state, 'lib'), CARTON_RUN: join(state, 'run') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const ready = new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    return { child, ready, done: collect(child) };
  }

  it('SIGTERM to carton reaches a trapping PID 1: exit 7', async () => {
    const { child, ready, done } = start(['carton/busybox', 'sh', '-c', 'trap "exit 7" TERM; echo up; while :; do sleep 1; done']);
    await ready;
    child.kill('SIGTERM');
    expect((await done).status).toBe(7);
  });

  it('SIGINT (Ctrl-C) reaches it likewise', async () => {
    const { child, ready, done } = start(['carton/busybox', 'sh', '-c', 'trap "exit 8" INT; echo up; while :; do sleep 1; done']);
    await ready;
    child.kill('SIGINT');
    expect((await done).status).toBe(8);
  });

  it('with --init, SIGTERM ends a command that has no handler: 143', async () => {
    const { child, ready, done } = start(['--init', 'carton/busybox', 'sh', '-c', 'echo up; exec sleep 100']);
    await ready;
    child.kill('SIGTERM');
    expect((await done).status).toBe(143);
  });

  it('PID 1 is protected: even its own SIGKILL is ignored without a handler', async () => {
    const result = await carton(['run', '--rm', 'carton/busybox', 'sh', '-c', 'kill -9 $$; echo survived'], { env: { CARTON_ROOT: join(state, 'lib'), CARTON_RUN: join(state, 'run') } });
    expect(result.stdout).toBe('survived\n');
    expect(result.status).toBe(0);
  });

  it('a command killed by a signal makes carton exit 128+N', async () => {
    // tini forwards SIGUSR1 to sh, which has no handler and is not PID 1: it dies of it.
    const { child, ready, done } = start(['--init', 'carton/busybox', 'sh', '-c', 'echo up; sleep 100']);
    await ready;
    child.kill('SIGUSR1');
    expect((await done).status).toBe(128 + 10);
  });
});
