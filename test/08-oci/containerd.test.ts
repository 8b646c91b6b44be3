// containerd drives carton: Debian's containerd, started here on a private root, state and
// socket (never the system's), an image imported from `carton save`, then ctr runs, execs,
// pauses, resumes, kills and deletes with carton-runc as its runc binary. containerd's shim
// (containerd-shim-runc-v2) calls carton-runc exactly as it calls runc. Nothing is left:
// no shim, no mount, no cgroup.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carton, collect, isRoot, mountsUnder, pidsWhere, removeDir, repo, tempDir, type Result } from '../helpers/index.js';
import { lessonBlock, sh } from '../helpers/lesson.js';

const CHAPTER = '08-oci';

describe.skipIf(!isRoot)('containerd with carton as its runtime (needs root)', () => {
  const dir = tempDir('carton-ctd-');
  const socket = join(dir, 'containerd.sock');
  const namespace = `carton-${process.pid}`; // also the cgroup parent containerd asks for: /<namespace>/<id>
  const runtime = ['--runc-binary', join(repo, 'lib/cli/carton-runc'), '--runc-root', join(dir, 'runc'), '--fifo-dir', join(dir, 'fifo')];
  let containerd: ChildProcess | undefined;
  // The shim makes its sockets under /run/containerd/s whatever containerd's own paths are
  // (containerd 1.6 hard-codes it): on a machine without a containerd, remove what the test made.
  const runDir = '/run/containerd';
  const hadRunDir = existsSync(runDir);
  const ctr = (args: string[]): Promise<Result> => collect(spawn('ctr', ['--address', socket, '--namespace', namespace, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }), '');
  const cgroups = () => readdirSync('/sys/fs/cgroup').filter((h) => existsSync(`/sys/fs/cgroup/${h}/${namespace}`));
  const shims = () => pidsWhere((cmdline) => cmdline.includes(socket));
  const task = async (id: string) => (await ctr(['task', 'ls'])).stdout.split('\n').find((l) => l.startsWith(`${id} `))?.trim().split(/\s+/)[2];

  beforeAll(async () => {
    writeFileSync(join(dir, 'config.toml'), [
      'version = 2',
      `root = "${dir}/root"`,
      `state = "${dir}/state"`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
      '[grpc]', `  address = "${socket}"`,
      '[ttrpc]', `  address = "${socket}.ttrpc"`,
      '[debug]', '  address = ""',
      '[metrics]', '  address = ""',
      '',
    ].join('\n'));
    const log = openSync(join(dir, 'containerd.log'), 'w');
    containerd = spawn('containerd', ['--config', join(dir, 'config.toml')], { stdio: ['ignore', log, log] });
    closeSync(log);
    containerd.on('error', () => {}); // missing: the test below says so
    for (let i = 0; i < 100 && !(existsSync(socket) && (await ctr(['version'])).status === 0); i++) await new Promise((r) => setTimeout(r, 100));
  });

  afterAll(async () => {
    for (const id of ['once', 'daemon']) {
      await ctr(['task', 'kill', '-s', 'SIGKILL', id]);
      await ctr(['task', 'delete', '--force', id]);
      await ctr(['container', 'rm', id]);
    }
    if (containerd?.pid) {
      containerd.kill('SIGTERM');
      await new Promise((r) => (containerd!.exitCode !== null ? r(null) : containerd!.on('exit', r)));
    }
    for (const pid of shims()) process.kill(pid, 'SIGKILL'); // only if a test failed half-way
    for (const mount of mountsUnder(dir).reverse()) execFileSync('umount', ['-l', mount]);
    removeDir(dir);
    if (!hadRunDir) {
      for (const sub of ['s', 'fifo', '']) {
        try {
          rmdirSync(join(runDir, sub));
        } catch {
          // not made, or not empty: then it is not only ours
        }
      }
    }
  });

  it('containerd is installed and started (npm run setup installs it)', async () => {
    expect(existsSync('/usr/bin/containerd'), 'containerd is missing: run npm run setup').toBe(true);
    expect((await ctr(['version'])).status).toBe(0);
  });

  it('ctr image import takes carton save\'s archive; ctr run runs it through carton-runc', async () => {
    const archive = join(dir, 'busybox.tar');
    expect((await carton(['save', '-o', archive, 'carton/busybox'])).status).toBe(0);
    expect((await ctr(['image', 'import', archive])).status).toBe(0);
    const run = await ctr(['run', '--rm', ...runtime, 'docker.io/carton/busybox:latest', 'once', 'sh', '-c', 'echo hello from carton; grep NoNewPrivs /proc/self/status; cat /proc/self/cgroup | grep pids']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`hello from carton\nNoNewPrivs:\t1\n${run.stdout.split('\n')[2]}\n`);
    expect(run.stdout).toMatch(new RegExp(`^\\d+:pids:/${namespace}/once$`, 'm')); // containerd's cgroupsPath, in carton's hands
    expect(readdirSync(join(dir, 'runc', namespace))).toEqual([]); // carton-runc deleted it
  });

  it('the lesson\'s block works as written, against this containerd (ctr reads CONTAINERD_ADDRESS)', async () => {
    const [save, load, run] = lessonBlock(CHAPTER, 'containerd');
    const env = { CONTAINERD_ADDRESS: socket, CONTAINERD_NAMESPACE: `${namespace}-lesson` };
    try {
      for (const line of [save, load]) expect((await sh(line.replaceAll('/tmp/', `${dir}/`), env)).status, line).toBe(0);
      // The shim's state goes under this test's directory, not /run/containerd/runc.
      const isolated = run.replace('ctr run --rm', `ctr run --rm ${runtime.slice(2).join(' ')}`);
      const hello = await sh(isolated, env);
      expect(hello.stdout, hello.stderr).toBe('hello\n');
    } finally {
      await collect(spawn('ctr', ['--address', socket, '--namespace', `${namespace}-lesson`, 'image', 'rm', 'docker.io/carton/busybox:latest'], { stdio: ['pipe', 'pipe', 'pipe'] }), '');
    }
  });

  it('a detached task: exec, pause, resume, kill and delete; nothing left', async () => {
    expect((await ctr(['run', '-d', ...runtime, 'docker.io/carton/busybox:latest', 'daemon', 'sleep', '300'])).status).toBe(0);
    expect(await task('daemon')).toBe('RUNNING');
    const exec = await ctr(['task', 'exec', '--fifo-dir', join(dir, 'fifo'), '--exec-id', 'e1', 'daemon', 'sh', '-c', 'echo in the container; exit 3']);
    expect([exec.status, exec.stdout]).toEqual([3, 'in the container\n']);
    expect((await ctr(['task', 'pause', 'daemon'])).status).toBe(0);
    expect(await task('daemon')).toBe('PAUSED');
    expect(readFileSync(`/sys/fs/cgroup/freezer/${namespace}/daemon/freezer.state`, 'utf8').trim()).toBe('FROZEN');
    expect((await ctr(['task', 'resume', 'daemon'])).status).toBe(0);
    expect(await task('daemon')).toBe('RUNNING');
    expect((await ctr(['task', 'kill', '-s', 'SIGKILL', 'daemon'])).status).toBe(0);
    for (let i = 0; i < 100 && (await task('daemon')) !== 'STOPPED'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await task('daemon')).toBe('STOPPED');
    expect((await ctr(['task', 'delete', 'daemon'])).status).toBe(0);
    expect((await ctr(['container', 'rm', 'daemon'])).status).toBe(0);
    expect(cgroups()).toEqual([]); // the container's cgroup, and the parent carton made for it
    expect(readdirSync(join(dir, 'runc', namespace))).toEqual([]);
    for (let i = 0; i < 100 && shims().length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(shims()).toEqual([]);
    expect(mountsUnder(join(dir, 'state'))).toEqual([]);
  });
});
