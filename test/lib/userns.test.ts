// --userns=private: the container's root is an unprivileged id range of the host. Checked
// from the kernel's side: the namespace's maps, the ids its processes have on the host, the
// owners of what it writes (its layer, a volume), `exec` joining the same namespace, and
// nothing left behind. The range comes from a subordinate-id file of the test's own
// (CARTON_SUBUID, CARTON_SUBGID): /etc/subuid is never touched.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, isRoot, mountsUnder, pidsWhere, removeAllContainers, removeDir, repo, tempDir } from '../helpers/index.js';
import { stateEnv, Terminal } from '../helpers/terminal.js';

const dir = tempDir('carton-userns-');
const subid = join(dir, 'subid');
writeFileSync(subid, 'someone:300000:65536\ncarton:200000:65536\n');
const env = { CARTON_SUBUID: subid, CARTON_SUBGID: subid };
const run = (args: string[], extra: Record<string, string> = {}) => carton(args, { env: { ...env, ...extra } });
const status = (pid: number, field: string) => readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:[ \\t]*(.*)$`, 'm'))![1].split(/\s+/).filter(Boolean);

const processWith = (cmdline: string): number | undefined => pidsWhere((c) => c === cmdline)[0];

describe.skipIf(!isRoot)('--userns=private (needs root)', () => {
  afterAll(async () => {
    await removeAllContainers();
    await carton(['volume', 'rm', 'nsvol']);
    removeDir(dir);
  });

  it('inside, root with the subordinate range in uid_map; outside, every process and file is that range', async () => {
    const started = await run(['run', '-d', '--name', 'ns1', '--userns=private', '-v', 'nsvol:/data', 'carton/busybox', 'sh', '-c', 'touch /data/made; echo x >> /etc/passwd; exec sleep 300']);
    expect([started.status, started.stderr]).toEqual([0, '']);
    const id = started.stdout.trim();
    const [info] = JSON.parse((await carton(['inspect', 'ns1'])).stdout);
    const pid = info.State.Pid as number;
    expect(info.HostConfig.UsernsMode).toBe('private');
    // The host's view: a user namespace of its own, and the ids of the range.
    expect(readlinkSync(`/proc/${pid}/ns/user`)).not.toBe(readlinkSync('/proc/self/ns/user'));
    expect(readFileSync(`/proc/${pid}/uid_map`, 'utf8').trim().split(/\s+/)).toEqual(['0', '200000', '65536']);
    expect(readFileSync(`/proc/${pid}/gid_map`, 'utf8').trim().split(/\s+/)).toEqual(['0', '200000', '65536']);
    expect(status(pid, 'Uid')).toEqual(['200000', '200000', '200000', '200000']);
    expect(status(pid, 'Gid')).toEqual(['200000', '200000', '200000', '200000']);
    expect(status(pid, 'Groups')).toEqual([]); // the host's supplementary groups were dropped
    // What it wrote: the volume's file, and /etc/passwd copied up into its layer.
    const volume = JSON.parse((await carton(['volume', 'inspect', 'nsvol'])).stdout)[0].Mountpoint as string;
    await expect.poll(() => statSync(join(volume, 'made'), { throwIfNoEntry: false })?.uid).toBe(200000);
    const upper = join(process.env.CARTON_ROOT!, 'containers', id, 'upper');
    await expect.poll(() => statSync(join(upper, 'etc/passwd'), { throwIfNoEntry: false })?.uid).toBe(200000);
    // Inside: root, its image's files its own (idmapped layers), Docker's capabilities.
    const inside = await carton(['exec', 'ns1', 'sh', '-c', 'id -u; stat -c %u /bin/busybox; cat /proc/self/uid_map']);
    expect(inside.stdout.trim().split(/\s+/)).toEqual(['0', '0', '0', '200000', '65536']);
    // exec enters the same user namespace: its process is the range on the host too.
    expect((await carton(['exec', '-d', 'ns1', 'sleep', '299'])).status).toBe(0);
    await expect.poll(() => processWith('sleep\0' + '299\0')).toBeDefined();
    const sleeper = processWith('sleep\0' + '299\0')!;
    expect(readlinkSync(`/proc/${sleeper}/ns/user`)).toBe(readlinkSync(`/proc/${pid}/ns/user`));
    expect(status(sleeper, 'Uid')).toEqual(['200000', '200000', '200000', '200000']);
    // export and commit write its files as the container sees them: root's, not the range's.
    const archive = join(dir, 'ns1.tar');
    expect((await carton(['export', '-o', archive, 'ns1'])).status).toBe(0);
    expect(execFileSync('tar', ['--numeric-owner', '-tvf', archive, 'etc/passwd'], { encoding: 'utf8' })).toMatch(/^\S+ 0\/0 /);
    const committed = await carton(['commit', 'ns1', 'nscommit:1']);
    expect(committed.status, committed.stderr).toBe(0);
    expect((await carton(['run', '--rm', 'nscommit:1', 'sh', '-c', 'stat -c %u:%g /etc/passwd; tail -1 /etc/passwd'])).stdout).toBe('0:0\nx\n');
    await carton(['rmi', 'nscommit:1']);
    // Removed: no idmapped layer or other mount of it is left, and no run directory.
    expect((await carton(['rm', '-f', 'ns1'])).status).toBe(0);
    expect(mountsUnder(process.env.CARTON_RUN!)).toEqual([]);
    expect(statSync(join(process.env.CARTON_RUN!, id), { throwIfNoEntry: false })).toBeUndefined();
  });

  it('a foreground container: writes its layer, exits with its status; the default stays in the host\'s namespace', async () => {
    const fg = await run(['run', '--rm', '--userns=private', 'carton/busybox', 'sh', '-c', 'echo ok >> /etc/passwd && test "$(id -u)" = 0 && exit 7']);
    expect([fg.status, fg.stderr]).toEqual([7, '']);
    const host = await carton(['run', '--rm', 'carton/busybox', 'cat', '/proc/self/uid_map']);
    expect(host.stdout.trim().split(/\s+/)).toEqual(['0', '0', '4294967295']);
  });

  it('-it: a terminal of the container\'s devpts, its controlling terminal, keys typed reach it', async () => {
    const term = new Terminal(`cd ${repo} && ${stateEnv()} CARTON_SUBUID=${subid} CARTON_SUBGID=${subid} lib/cli/carton run -it --rm --userns=private carton/busybox sh; echo "RUN=$?"`);
    try {
      await term.waitFor(/^\/ #/m);
      term.type('tty; cat /proc/self/uid_map; exit 5\n');
      const screen = await term.waitFor(/RUN=\d+/);
      expect(screen).toMatch(/^\/dev\/pts\/\d+$/m);
      expect(screen).toMatch(/^\s*0\s+200000\s+65536$/m);
      expect(screen).toMatch(/RUN=5/);
    } finally {
      term.close();
    }
  });

  it('an opaque directory of a layer hides the lower layers\' files in the namespace\'s overlay too (user.overlay.opaque)', async () => {
    const context = join(dir, 'context');
    mkdirSync(context);
    writeFileSync(join(context, 'Dockerfile'), 'FROM carton/busybox\nRUN mkdir /d && touch /d/old\nRUN rm -rf /d && mkdir /d && touch /d/new\n');
    const built = await carton(['build', '-q', '-t', 'opaque:1', context]);
    expect(built.status, built.stderr).toBe(0);
    for (const flags of [[], ['--userns=private']]) {
      const listed = await run(['run', '--rm', ...flags, 'opaque:1', 'ls', '/d']);
      expect([flags, listed.stdout.trim()]).toEqual([flags, 'new']);
    }
    await carton(['rmi', 'opaque:1']);
  });

  it('cp and diff see the container\'s own ids: shifted into the range on the way in, back on the way out, running or stopped', async () => {
    expect((await run(['run', '-d', '--name', 'nscp', '--network', 'none', '--userns=private', 'carton/busybox', 'sh', '-c', 'mkdir /d && touch /d/mine && chown 7:8 /d/mine && mkdir -m 700 /home/u && chown 1000 /home/u && exec sleep 300'])).status).toBe(0);
    const id = JSON.parse((await carton(['inspect', 'nscp'])).stdout)[0].Id as string;
    const upper = join(process.env.CARTON_ROOT!, 'containers', id, 'upper');
    await expect.poll(() => statSync(join(upper, 'd/mine'), { throwIfNoEntry: false })?.uid).toBe(200007);
    const file = join(dir, 'host-file');
    writeFileSync(file, 'from the host\n');
    execFileSync('chown', ['5:6', file]);
    const owners = (path: string) => { const st = statSync(path); return [st.uid, st.gid]; };
    // Into the running container: its overlay was mounted in its namespace, which does not
    // map the host's root; what cp makes there is made as the namespace's root.
    for (const [args, target] of [[[], '/d/plain'], [['-a'], '/d/kept'], [[], '/home/u/private']] as Array<[string[], string]>) {
      const copied = await run(['cp', ...args, file, `nscp:${target}`]);
      expect([target, copied.status, copied.stderr]).toEqual([target, 0, '']);
    }
    expect(owners(join(upper, 'd/plain'))).toEqual([200000, 200000]);
    expect(owners(join(upper, 'd/kept'))).toEqual([200005, 200006]);
    expect(owners(join(upper, 'home/u/private'))).toEqual([200000, 200000]);
    expect((await carton(['exec', 'nscp', 'stat', '-c', '%u:%g', '/d/plain', '/d/kept', '/d/mine'])).stdout).toBe('0:0\n5:6\n7:8\n');
    // Out of it: a tar stream and -a give the container's ids, not the range's.
    const tar = spawnSync(process.execPath, [join(repo, 'lib/cli/carton.js'), 'cp', 'nscp:/d', '-'], { env: { ...process.env, ...env } });
    expect(spawnSync('tar', ['--numeric-owner', '-tv'], { input: tar.stdout, encoding: 'utf8' }).stdout).toMatch(/ 7\/8 .* d\/mine\n/);
    expect((await run(['cp', '-a', 'nscp:/d', join(dir, 'out')])).status).toBe(0);
    expect(owners(join(dir, 'out/mine'))).toEqual([7, 8]);
    expect(owners(join(dir, 'out/kept'))).toEqual([5, 6]);
    // Stopped: through an overlay carton mounts on the host, the same ids both ways.
    expect((await carton(['stop', '-t', '0', 'nscp'])).status).toBe(0);
    expect((await run(['cp', '-a', file, 'nscp:/d/later'])).status).toBe(0);
    expect(owners(join(upper, 'd/later'))).toEqual([200005, 200006]);
    expect((await run(['cp', '-a', 'nscp:/d', join(dir, 'out2')])).status).toBe(0);
    expect([owners(join(dir, 'out2/mine')), owners(join(dir, 'out2/later'))]).toEqual([[7, 8], [5, 6]]);
    // diff names the same changes as a container in the host's namespace would.
    expect((await carton(['diff', 'nscp'])).stdout.split('\n').filter((l) => l.includes('/d'))).toEqual(['A /d', 'A /d/kept', 'A /d/later', 'A /d/mine', 'A /d/plain']);
    expect((await carton(['rm', '-f', 'nscp'])).status).toBe(0);
    expect(mountsUnder(process.env.CARTON_RUN!)).toEqual([]);
  });

  it('refused as Docker refuses it, before anything exists: --privileged, --network host, a bad mode, no subordinate range', async () => {
    const before = (await carton(['ps', '-aq'])).stdout;
    for (const [args, extra, message] of [
      [['--privileged'], {}, /--privileged needs --userns=host/],
      [['--network', 'host'], {}, /--network host is incompatible with user namespaces/],
      [['--userns=remap'], {}, /invalid --userns `remap`/],
      [[], { CARTON_SUBUID: join(dir, 'none') }, /gives neither carton nor root a range of 65536 uids/],
    ] as Array<[string[], Record<string, string>, RegExp]>) {
      const flags = args[0] === '--userns=remap' ? args : ['--userns=private', ...args];
      const result = await run(['run', '--rm', ...flags, 'carton/busybox', 'true'], extra);
      expect([flags, result.status]).toEqual([flags, 125]);
      expect(result.stderr).toMatch(message);
    }
    expect((await carton(['ps', '-aq'])).stdout).toBe(before);
  });
});
