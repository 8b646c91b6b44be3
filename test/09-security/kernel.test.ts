// Chapter 09 in the kernel: from inside a default container, each attack of the chapter's
// threat model, tried with busybox and a static C probe, and the documented ways to get the
// power back. Each checks the kernel's answer (an errno, /proc/<pid>/status, a host file
// or setting that did not change), not carton's words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { carton, isRoot, removeAllContainers, removeDir, repo, tempDir } from '../helpers/index.js';
import { findStaticBusybox } from '../../solutions/01-chroot/rootfs.js';

const status = (text: string, field: string) => new RegExp(`^${field}:\\s*(\\S+)`, 'm').exec(text)?.[1];

describe.skipIf(!isRoot)('a default container holds (needs root)', () => {
  let dir: string;
  let probe: string; // a directory holding the static probe, bind-mounted at /probe
  const run = (args: string[], command: string[]) => carton(['run', '--rm', '--network', 'none', ...args, '-v', `${probe}:/probe:ro`, 'carton/busybox', ...command]);
  const tryIt = async (what: string[], args: string[] = []) => (await run(args, ['/probe/probe', ...what])).stdout.trim();

  beforeAll(() => {
    dir = tempDir('carton-security-');
    probe = join(dir, 'probe');
    mkdirSync(probe);
    execFileSync('gcc', ['-static', '-O1', '-o', join(probe, 'probe'), join(repo, 'test/09-security/probe.c')]);
    copyFileSync(join(probe, 'probe'), join(probe, 'suid'));
    chmodSync(join(probe, 'suid'), 0o4755); // setuid root: for no_new_privs
  });
  afterAll(async () => {
    await removeAllContainers();
    removeDir(dir);
  });

  it('has Docker\'s capabilities, seccomp filter mode, and may still gain privileges through setuid', async () => {
    const out = (await run([], ['cat', '/proc/self/status'])).stdout;
    expect(status(out, 'CapEff')).toBe('00000000a80425fb');
    expect(status(out, 'CapBnd')).toBe('00000000a80425fb');
    expect(status(out, 'CapInh')).toBe('0000000000000000');
    expect(status(out, 'Seccomp')).toBe('2');
    expect(status(out, 'NoNewPrivs')).toBe('0');
  });

  it('cannot mount procfs or a cgroup hierarchy, remount /proc/sys, or unmount a masked path; the host\'s sysctl stays', async () => {
    const swappiness = readFileSync('/proc/sys/vm/swappiness', 'utf8');
    expect(await tryIt(['mount-proc'])).toBe('EPERM');
    expect(await tryIt(['mount-cgroup'])).toBe('EPERM'); // release_agent is out of reach
    expect(await tryIt(['remount-rw', '/proc/sys'])).toBe('EPERM');
    expect(await tryIt(['umount', '/proc/kcore'])).toBe('EPERM');
    const write = await run([], ['sh', '-c', 'echo 1 > /proc/sys/vm/swappiness']);
    expect(write.status).not.toBe(0);
    expect(readFileSync('/proc/sys/vm/swappiness', 'utf8')).toBe(swappiness);
  });

  it('refuses open_by_handle_at (shocker), new user namespaces, keyrings, BPF, perf and the clock', async () => {
    expect(await tryIt(['open_by_handle_at'])).toBe('EPERM');
    for (const what of ['unshare-user', 'keyctl', 'bpf', 'perf_event_open', 'clock_settime']) expect(await tryIt([what]), what).toBe('EPERM');
  });

  it('cannot remount a read-only volume read-write', async () => {
    const data = join(dir, 'ro');
    mkdirSync(data);
    const out = await carton(['run', '--rm', '--network', 'none', '-v', `${probe}:/probe:ro`, '-v', `${data}:/data:ro`, 'carton/busybox', 'sh', '-c', '/probe/probe remount-rw /data; touch /data/x 2>/dev/null; echo done']);
    expect(out.stdout).toBe('EPERM\ndone\n');
    expect(existsSync(join(data, 'x'))).toBe(false);
  });

  it('opens only the harmless devices, even those it may create (devices cgroup); --privileged opens them', async () => {
    const read = 'mknod /tmp/kmsg c 1 11 && head -c 1 /tmp/kmsg >/dev/null 2>&1; echo $?';
    // CAP_SYSLOG passes /dev/kmsg's own check: what still refuses is the devices cgroup.
    expect((await run(['--cap-add', 'SYSLOG'], ['sh', '-c', read])).stdout).toBe('1\n');
    expect((await run(['--privileged'], ['sh', '-c', read])).stdout).toBe('0\n');
    expect((await run([], ['sh', '-c', 'echo x > /dev/null && head -c 1 /dev/urandom | wc -c'])).stdout.trim()).toBe('1');
  });

  it('inherits no file descriptor of the caller\'s, in run and in exec', async () => {
    const script = 'exec 200</ && ' + [process.execPath, join(repo, 'lib/cli/carton.js')].join(' ');
    const inRun = execFileSync('bash', ['-c', `${script} run --rm --network none carton/busybox ls /proc/self/fd`], { encoding: 'utf8' });
    expect(inRun.split('\n').filter(Boolean).map(Number).filter((fd) => fd > 3)).toEqual([]);
    await carton(['run', '-d', '--name', 'fds', '--network', 'none', 'carton/busybox', 'sleep', '30']);
    const inExec = execFileSync('bash', ['-c', `${script} exec fds ls /proc/self/fd`], { encoding: 'utf8' });
    expect(inExec.split('\n').filter(Boolean).map(Number).filter((fd) => fd > 3)).toEqual([]);
    // exec is confined like the container's own processes
    const execStatus = (await carton(['exec', 'fds', 'cat', '/proc/self/status'])).stdout;
    expect(status(execStatus, 'CapEff')).toBe('00000000a80425fb');
    expect(status(execStatus, 'Seccomp')).toBe('2');
    expect(status((await carton(['exec', '-u', '1000', 'fds', 'cat', '/proc/self/status'])).stdout, 'CapEff')).toBe('0000000000000000');
    await carton(['rm', '-f', 'fds']);
  });

  it('-u 1000 has no capabilities; --cap-drop ALL none either; a setuid binary works, and not with no-new-privileges', async () => {
    const user = (await carton(['run', '--rm', '--network', 'none', '-u', '1000', 'carton/busybox', 'cat', '/proc/self/status'])).stdout;
    expect([status(user, 'CapEff'), status(user, 'CapPrm')]).toEqual(['0000000000000000', '0000000000000000']);
    expect(status((await run(['--cap-drop', 'ALL'], ['cat', '/proc/self/status'])).stdout, 'CapEff')).toBe('0000000000000000');
    expect(await tryIt(['euid'], ['-u', '1000'])).toBe('1000');
    expect((await run(['-u', '1000'], ['/probe/suid', 'euid'])).stdout.trim()).toBe('0');
    expect((await run(['-u', '1000', '--security-opt', 'no-new-privileges'], ['/probe/suid', 'euid'])).stdout.trim()).toBe('1000');
  });

  it('--privileged and --cap-add SYS_ADMIN with seccomp=unconfined are the documented ways back', async () => {
    const priv = (await run(['--privileged'], ['cat', '/proc/self/status'])).stdout;
    expect(status(priv, 'Seccomp')).toBe('0');
    expect(BigInt('0x' + status(priv, 'CapEff'))).toBe(BigInt('0x' + status(readFileSync('/proc/self/status', 'utf8'), 'CapBnd')));
    expect(await tryIt(['mount-proc'], ['--cap-add', 'SYS_ADMIN', '--security-opt', 'seccomp=unconfined'])).toBe('ok');
  });

  it('a profile of the user\'s own (--security-opt seccomp=FILE) applies, in Docker\'s format', async () => {
    const file = join(dir, 'profile.json');
    writeFileSync(file, JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }] }));
    expect(await tryIt(['mkdir', '/tmp/x'], ['--security-opt', `seccomp=${file}`])).toBe('EACCES');
    writeFileSync(file, '{"defaultAction": "SCMP_ACT_NOPE"}');
    const bad = await run(['--security-opt', `seccomp=${file}`], ['true']);
    expect(bad.status).toBe(125);
    expect(bad.stderr).toContain('defaultAction');
  });
});

describe.skipIf(!isRoot)('image content never leads the host side outside the root (needs root)', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('carton-inroot-');
  });
  afterAll(async () => {
    await removeAllContainers();
    removeDir(dir);
  });

  /** A root directory with busybox and the given symlinks (name → target). */
  function rootfs(name: string, links: Record<string, string>): string {
    const root = join(dir, name);
    for (const d of ['bin', 'etc', 'tmp', 'proc', 'sys', 'dev']) mkdirSync(join(root, d), { recursive: true });
    copyFileSync(findStaticBusybox()!, join(root, 'bin/busybox'));
    chmodSync(join(root, 'bin/busybox'), 0o755);
    symlinkSync('busybox', join(root, 'bin/sh'));
    for (const [link, target] of Object.entries(links)) symlinkSync(target, join(root, link));
    return root;
  }

  it('an image\'s /etc/hosts or volume target pointing at a host path creates nothing there', async () => {
    const outside = join(dir, 'outside');
    const root = rootfs('links', { 'etc/hosts': join(outside, 'hosts'), data: join(outside, 'data') });
    const out = await carton(['run', '--rm', '--network', 'none', '--rootfs', root, '-v', 'vol1:/data', '/bin/sh', '-c', 'echo in > /data/f; cat /etc/hosts | head -1']);
    expect(out.status).toBe(0);
    expect(existsSync(outside)).toBe(false);
    await carton(['volume', 'rm', 'vol1']);
  });

  it('an image whose /proc is a symlink is refused', async () => {
    const root = rootfs('proc-link', {});
    removeDir(join(root, 'proc'));
    symlinkSync(join(dir, 'elsewhere'), join(root, 'proc'));
    const out = await carton(['run', '--rm', '--network', 'none', '--rootfs', root, '/bin/sh', '-c', 'true']);
    expect(out.status).toBe(125);
    expect(existsSync(join(dir, 'elsewhere'))).toBe(false);
  });

  it('-u NAME reads the image\'s /etc/passwd, never a host file it links to', async () => {
    const hostPasswd = join(dir, 'host-passwd');
    writeFileSync(hostPasswd, 'evil:x:4242:4242::/:/bin/sh\n');
    const root = rootfs('passwd-link', { 'etc/passwd': hostPasswd });
    const out = await carton(['run', '--rm', '--network', 'none', '--rootfs', root, '-u', 'evil', '/bin/sh', '-c', 'id -u']);
    expect(out.stdout).not.toContain('4242');
    expect(out.status).toBe(125);
  });
});
