// Podman drives carton: Debian's podman, on a private storage root, run root, configuration
// and cgroup parent (never the system's), runs carton save's image with carton-runc as its
// OCI runtime (`podman --runtime`). conmon, podman's monitor, calls carton-runc create,
// start, state, kill, pause, resume, exec and delete exactly as it calls runc. Side by side
// with runc on the same image; nothing is left: no conmon, no mount, no cgroup.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carton, collect, isRoot, mountsUnder, pidsWhere, removeDir, repo, tempDir, type Result } from '../helpers/index.js';

describe.skipIf(!isRoot)('podman with carton as its runtime (needs root)', () => {
  const dir = tempDir('carton-podman-');
  const parent = `carton-podman-${process.pid}`; // --cgroup-parent: the containers' cgroups and conmon's, under /<parent>
  const image = 'docker.io/carton/busybox:latest';
  const env = { ...process.env, CONTAINERS_CONF: join(dir, 'containers.conf'), CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf') };
  const podman = (runtime: string, args: string[], input = ''): Promise<Result> =>
    collect(spawn('podman', ['--runtime', runtime, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env }), input);
  const cartonRunc = join(repo, 'lib/cli/carton-runc');
  const conmons = () => pidsWhere((cmdline) => cmdline.startsWith('/usr/bin/conmon') && cmdline.includes(dir));
  const cgroupsOf = (what: string) => readdirSync('/sys/fs/cgroup').filter((h) => existsSync(`/sys/fs/cgroup/${h}/${parent}/${what}`));
  const inspect = async (name: string, format: string) => (await podman(cartonRunc, ['inspect', '-f', format, name])).stdout.trim();

  beforeAll(async () => {
    writeFileSync(join(dir, 'containers.conf'), [
      '[containers]',
      // This machine's root may not raise RLIMIT_NOFILE past its hard limit (no
      // CAP_SYS_RESOURCE here), and podman asks for 1048576: runc refuses too. Ask for less.
      'default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]',
      '[engine]',
      'cgroup_manager = "cgroupfs"',
      'events_logger = "file"',
      `events_logfile_path = "${dir}/events.log"`,
      `tmp_dir = "${dir}/tmp"`,
      `volume_path = "${dir}/volumes"`,
      '[network]',
      `network_config_dir = "${dir}/net"`,
      '',
    ].join('\n'));
    writeFileSync(join(dir, 'storage.conf'), ['[storage]', 'driver = "vfs"', `graphroot = "${dir}/root"`, `runroot = "${dir}/run"`, ''].join('\n'));
    const archive = join(dir, 'busybox.tar');
    expect((await carton(['save', '-o', archive, 'carton/busybox'])).status).toBe(0);
    const load = await podman(cartonRunc, ['load', '-q', '-i', archive]);
    expect(load.status, load.stderr).toBe(0);
  });

  afterAll(async () => {
    for (const name of ['p-daemon']) await podman(cartonRunc, ['rm', '-f', '-t', '0', name]);
    for (const pid of conmons()) process.kill(pid, 'SIGKILL'); // only if a test failed half-way
    for (const mount of mountsUnder(dir).reverse()) execFileSync('umount', ['-l', mount]);
    for (const h of readdirSync('/sys/fs/cgroup')) {
      for (const sub of ['conmon', '']) {
        try {
          rmdirSync(`/sys/fs/cgroup/${h}/${parent}/${sub}`);
        } catch {
          // not made (or not a hierarchy)
        }
      }
    }
    removeDir(dir); // (containers/image's cache in /var/lib/containers goes with the run: global-setup.ts)
  });

  it('podman is installed (npm run setup installs it)', () => {
    expect(existsSync('/usr/bin/podman'), 'podman is missing: run npm run setup').toBe(true);
  });

  it('podman run --rm gives the same output and exit status with carton-runc as with runc', async () => {
    const args = ['run', '--rm', '--network', 'none', '--cgroup-parent', `/${parent}`, image, 'sh', '-c', 'echo hello from podman; id; grep -c . /proc/self/cgroup >/dev/null; exit 3'];
    const [withCarton, withRunc] = [await podman(cartonRunc, args), await podman('runc', args)];
    expect([withCarton.status, withCarton.stdout, withCarton.stderr]).toEqual([3, 'hello from podman\nuid=0(root) gid=0(root)\n', '']);
    expect([withCarton.status, withCarton.stdout]).toEqual([withRunc.status, withRunc.stdout]);
  });

  it('a detached container: exec, pause, unpause, stop, logs and rm; its namespaces and cgroup are carton\'s making; nothing left', async () => {
    const run = await podman(cartonRunc, ['run', '-d', '--name', 'p-daemon', '--network', 'none', '--cgroup-parent', `/${parent}`, image, 'sh', '-c', 'echo started; trap "echo bye; exit 0" TERM; while true; do sleep 1; done']);
    expect(run.status, run.stderr).toBe(0);
    const id = run.stdout.trim();
    const pid = Number(await inspect('p-daemon', '{{.State.Pid}}'));
    expect(pid).toBeGreaterThan(0);
    // PID 1 of a PID namespace of its own, in the cgroup podman named.
    expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/^NSpid:\s+\d+\s+1$/m);
    expect(readFileSync(`/proc/${pid}/cgroup`, 'utf8')).toMatch(new RegExp(`^\\d+:pids:/${parent}/libpod-${id}$`, 'm'));
    const exec = await podman(cartonRunc, ['exec', 'p-daemon', 'sh', '-c', 'echo in the container; cat /proc/1/cmdline | tr "\\0" " "; exit 4']);
    expect([exec.status, exec.stdout]).toEqual([4, 'in the container\nsh -c echo started; trap "echo bye; exit 0" TERM; while true; do sleep 1; done ']);
    expect((await podman(cartonRunc, ['pause', 'p-daemon'])).status).toBe(0);
    expect(await inspect('p-daemon', '{{.State.Status}}')).toBe('paused');
    expect(readFileSync(`/sys/fs/cgroup/freezer/${parent}/libpod-${id}/freezer.state`, 'utf8').trim()).toBe('FROZEN');
    expect((await podman(cartonRunc, ['unpause', 'p-daemon'])).status).toBe(0);
    expect(await inspect('p-daemon', '{{.State.Status}}')).toBe('running');
    expect(readFileSync(`/sys/fs/cgroup/freezer/${parent}/libpod-${id}/freezer.state`, 'utf8').trim()).toBe('THAWED');
    const stop = await podman(cartonRunc, ['stop', '-t', '10', 'p-daemon']);
    expect(stop.status, stop.stderr).toBe(0);
    expect(await inspect('p-daemon', '{{.State.Status}} {{.State.ExitCode}}')).toBe('exited 0'); // its TERM trap ran
    expect((await podman(cartonRunc, ['logs', 'p-daemon'])).stdout).toBe('started\nbye\n');
    expect((await podman(cartonRunc, ['rm', 'p-daemon'])).status).toBe(0);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(cgroupsOf(`libpod-${id}`)).toEqual([]);
    for (let i = 0; i < 100 && conmons().length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(conmons()).toEqual([]);
    expect(mountsUnder(join(dir, 'run'))).toEqual([]);
  });

  it('-t: the terminal comes through the console socket, a pty of the container\'s own devpts', async () => {
    // podman -t needs no terminal of its own; conmon passes --console-socket, carton-runc sends the master back.
    const run = await podman(cartonRunc, ['run', '--rm', '-t', '--network', 'none', '--cgroup-parent', `/${parent}`, image, 'sh', '-c', 'tty; ls -l /proc/self/fd/0 | grep -c pts']);
    expect([run.status, run.stdout.replaceAll('\r', '')]).toEqual([0, '/dev/pts/0\n1\n']);
  });
});
