// Chapter 08 in the everyday runtime: `carton run --spec-out` writes the OCI runtime spec the
// container is made from, which is also its bundle's config.json. Checked two ways on the real kernel: the running container's state
// (its namespaces, credentials, capabilities, seccomp, cgroup limits, mounts) is what the spec
// says; and runc, given that same spec over the same root filesystem, makes a container that
// looks the same from inside.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readlinkSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, collect, isRoot, removeAllContainers, removeDir, tempDir } from '../helpers/index.js';
import { cgroupLayout } from '../../solutions/00-doctor/cgroup-layout.js';
import { capabilityMask } from '../../solutions/09-security/capabilities.js';
import type { Spec } from '../../solutions/08-oci/spec.js';
import { runDir } from '../../lib/runtime/paths.js';

const status = (pid: number, field: string) => new RegExp(`^${field}:\\s+(.*)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1].trim();
const nsOf = (pid: number | 'self', type: string) => readlinkSync(`/proc/${pid}/ns/${type}`);
const NS_FILE: Record<string, string> = { pid: 'pid', ipc: 'ipc', uts: 'uts', mount: 'mnt', network: 'net', cgroup: 'cgroup', user: 'user' };

describe.skipIf(!isRoot)('the OCI spec of a carton container (needs root)', () => {
  const dir = tempDir('carton-spec-');
  afterAll(async () => {
    await removeAllContainers();
    await carton(['volume', 'rm', 'spec-vol']);
    removeDir(dir);
  });

  it('is what the container is made of: namespaces, user, environment, capabilities, seccomp, cgroup limits, mounts', async () => {
    const file = join(dir, 'config.json');
    const run = await carton(['run', '-d', '--name', 'spec-1', '--spec-out', file, '--network', 'none', '-m', '64m', '--pids-limit', '50', '-u', '1000:1000', '-e', 'GREETING=hi',
      '--hostname', 'specbox', '-v', 'spec-vol:/data', '--tmpfs', '/scratch', '--read-only', '--cap-drop', 'NET_RAW', '--security-opt', 'no-new-privileges', 'carton/busybox', 'sleep', '120']);
    expect(run.stderr).toBe('');
    const spec = JSON.parse(readFileSync(file, 'utf8')) as Spec;
    const pid: number = JSON.parse((await carton(['inspect', 'spec-1'])).stdout)[0].State.Pid;

    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)).toEqual(spec.process!.args);
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).sort()).toEqual([...spec.process!.env!].sort());
    expect(status(pid, 'Uid').split(/\s+/)[0]).toBe(String(spec.process!.user.uid));
    expect(status(pid, 'Gid').split(/\s+/)[0]).toBe(String(spec.process!.user.gid));
    expect(execFileSync('nsenter', ['-t', String(pid), '-u', 'hostname'], { encoding: 'utf8' }).trim()).toBe(spec.hostname);
    // Each namespace the spec lists is the container's own; each it leaves out is the host's.
    const listed = new Set(spec.linux!.namespaces!.map((n) => n.type));
    for (const [type, file] of Object.entries(NS_FILE)) {
      expect(nsOf(pid, file) === nsOf('self', file), `${type} namespace`).toBe(!listed.has(type as never));
    }
    expect(BigInt(`0x${status(pid, 'CapBnd')}`)).toBe(capabilityMask(spec.process!.capabilities!.bounding!));
    expect(spec.process!.capabilities!.bounding).not.toContain('CAP_NET_RAW');
    expect(status(pid, 'NoNewPrivs')).toBe(spec.process!.noNewPrivileges ? '1' : '0');
    expect(status(pid, 'Seccomp')).toBe(spec.linux!.seccomp ? '2' : '0');
    // The cgroup the spec names holds the container, with the spec's limits.
    const layout = cgroupLayout();
    const cgroup = (controller: string) => (layout.v1[controller] ? join(layout.v1[controller], spec.linux!.cgroupsPath!) : join(layout.v2Mount!, spec.linux!.cgroupsPath!));
    const memory = layout.v1.memory ? join(cgroup('memory'), 'memory.limit_in_bytes') : join(cgroup('memory'), 'memory.max');
    expect(Number(readFileSync(memory, 'utf8'))).toBe(spec.linux!.resources!.memory!.limit);
    expect(Number(readFileSync(join(cgroup('pids'), 'pids.max'), 'utf8'))).toBe(spec.linux!.resources!.pids!.limit);
    expect(readFileSync(join(cgroup('pids'), 'cgroup.procs'), 'utf8').split('\n')).toContain(String(pid));
    // Every mount the spec lists is a mount point inside, the root read-only as it says.
    const mountinfo = readFileSync(`/proc/${pid}/mountinfo`, 'utf8').trim().split('\n').map((l) => l.split(' '));
    const points = new Set(mountinfo.map((f) => f[4]));
    for (const m of spec.mounts!) expect(points.has(m.destination), m.destination).toBe(true);
    expect(mountinfo.find((f) => f[4] === '/')![5].split(',')).toContain(spec.root.readonly ? 'ro' : 'rw');
    expect(mountinfo.find((f) => f[4] === '/data')![5].split(',')).toContain('rw');
    for (const masked of spec.linux!.maskedPaths!.filter((p) => existsSync(join(`/proc/${pid}/root`, p)))) expect(points.has(masked), masked).toBe(true);
    // inspect shows the same spec, and it is the bundle's config.json, root's alone, with the
    // root filesystem it names beside it: the overlay, mounted there in the container's own
    // mount namespace only (the host sees an empty directory).
    expect(JSON.parse((await carton(['inspect', 'spec-1', '--format', '{{json .Carton.Spec}}'])).stdout)).toEqual(spec);
    const id: string = JSON.parse((await carton(['inspect', 'spec-1'])).stdout)[0].Id;
    const bundle = runDir(id);
    expect(JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'))).toEqual(spec);
    expect(statSync(join(bundle, 'config.json')).mode & 0o777).toBe(0o600);
    expect(spec.root.path).toBe(join(bundle, 'merged'));
    const root = mountinfo.find((f) => f[4] === '/')!;
    expect(root[root.indexOf('-') + 1]).toBe('overlay');
    expect(existsSync(join(spec.root.path, 'bin'))).toBe(false);
    await carton(['rm', '-f', 'spec-1']);
    expect(existsSync(bundle)).toBe(false);
  });

  it('runc, given that spec over the same root filesystem, makes a container that looks the same from inside', async () => {
    const probe = 'id -u; id -g; hostname; grep -E "^(CapBnd|CapEff|NoNewPrivs|Seccomp):" /proc/self/status; echo "$GREETING"; touch /x 2>/dev/null && echo rw || echo ro';
    const flags = ['--network', 'none', '-u', '1000:1000', '-e', 'GREETING=hi', '--hostname', 'specbox', '--read-only', '--cap-drop', 'NET_RAW', 'carton/busybox', 'sh', '-c', probe];
    const file = join(dir, 'runc.json');
    const ours = await carton(['run', '--rm', '--spec-out', file, ...flags]);
    expect(ours.stderr).toBe('');
    // The same root: the image, exported by carton from a container of it.
    const bundle = join(dir, 'bundle');
    mkdirSync(join(bundle, 'rootfs'), { recursive: true });
    expect((await carton(['create', '--name', 'spec-export', 'carton/busybox'])).status).toBe(0);
    execFileSync('sh', ['-c', `"$0" export spec-export | tar -x -C "$1"`, join(process.cwd(), 'lib/cli/carton'), join(bundle, 'rootfs')], { env: process.env });
    await carton(['rm', 'spec-export']);
    const spec = JSON.parse(readFileSync(file, 'utf8')) as Spec;
    spec.root.path = join(bundle, 'rootfs');
    // The files carton wrote for this container went with it: runc gets its own.
    for (const m of spec.mounts!.filter((m) => m.destination.startsWith('/etc/'))) {
      m.source = join(bundle, m.destination.slice(5));
      writeFileSync(m.source, m.destination === '/etc/hostname' ? 'specbox\n' : '');
    }
    spec.linux!.cgroupsPath = `carton-spec-test/${process.pid}`;
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
    const runc = await collect(spawn('runc', ['--root', join(dir, 'runc-state'), 'run', '--bundle', bundle, `spec-${process.pid}`], { stdio: ['ignore', 'pipe', 'pipe'] }));
    // runc leaves the parent of its cgroup in each hierarchy: removed, as nothing else is ours there.
    for (const parent of execFileSync('find', ['/sys/fs/cgroup', '-maxdepth', '3', '-type', 'd', '-name', 'carton-spec-test'], { encoding: 'utf8' }).split('\n').filter(Boolean)) rmdirSync(parent);
    expect([runc.status, runc.stderr]).toEqual([0, '']);
    expect(runc.stdout).toBe(ours.stdout);
    expect(ours.stdout).toMatch(/^1000\n1000\nspecbox\nCapEff:\s+0+\nCapBnd:\s+[0-9a-f]+\nNoNewPrivs:\s+0\nSeccomp:\s+2\nhi\nro\n$/);
  });

  it('below chapter 02 there are no namespaces; with --network host no network namespace; --privileged has no filter and no masks', async () => {
    const specOf = async (env: Record<string, string>, flags: string[]) => {
      const file = join(dir, `level-${flags.join('')}.json`);
      expect((await carton(['run', '--rm', '--spec-out', file, ...flags, 'carton/busybox', 'true'], { env })).status).toBe(0);
      return JSON.parse(readFileSync(file, 'utf8')) as Spec;
    };
    const one = await specOf({ CARTON_CHAPTER: '1' }, ['--network', 'none']);
    expect([one.linux!.namespaces, one.mounts, one.linux!.seccomp]).toEqual([[], [], undefined]);
    const host = await specOf({}, ['--network', 'host']);
    expect(host.linux!.namespaces!.map((n) => n.type)).not.toContain('network');
    const privileged = await specOf({}, ['--network', 'none', '--privileged']);
    expect([privileged.linux!.seccomp, privileged.linux!.maskedPaths]).toEqual([undefined, undefined]);
  });

  it('a --spec-out that cannot be written is one clear error, and no container is left', async () => {
    const r = await carton(['run', '--rm', '--spec-out', join(dir, 'missing/config.json'), '--network', 'none', 'carton/busybox', 'true']);
    expect([r.status, r.stderr.split('\n')[0]]).toEqual([125, expect.stringMatching(/^carton: --spec-out `.*missing\/config\.json`: ENOENT \(no such file or directory\)$/)]);
    expect((await carton(['ps', '-aq'])).stdout).toBe('');
  });
});
