// Reliability (#20): commands racing each other, and a record that cannot be read. Checked on
// the host: processes, cgroups, veths, nft rules and address allocations.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allocations, carton, changeState, collect, isRoot, removeAllContainers, removeDir, repo, storedRecord, storeRecord, tempDir } from '../helpers/index.js';
import { cgroupLayout } from '../../solutions/00-doctor/cgroup-layout.js';

/** Gone, or a zombie waiting for the host's init to reap it: it holds nothing any more. */
const gone = (pid: number) => {
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
};
const inspect = async (name: string) => JSON.parse((await carton(['inspect', name])).stdout)[0];

describe.skipIf(!isRoot)('reliability (needs root)', () => {
  afterAll(async () => {
    await removeAllContainers();
    await carton(['network', 'rm', 'rel-net', 'rel-meta', 'rel-check']);
  });

  it('a container that fails while carton joins it to its cgroups and network says why, every time, and leaves nothing', async () => {
    // The stage builds its filesystem while carton does the host's side (chapter 04): a
    // mount that fails there must still reach the user, on a bridge network too.
    const dir = tempDir('carton-rel-vol-');
    try {
      for (const network of ['none', 'bridge', 'none', 'bridge']) {
        const r = await carton(['run', '--name', 'fails-early', '--network', network, '-v', `${dir}:/bin/busybox`, 'carton/busybox', 'true']);
        expect([r.status, r.stderr]).toEqual([125, 'carton: openat2 `/bin/busybox`: ENOTDIR (Not a directory)\n']);
        const record = await inspect('fails-early');
        expect([record.State.Status, record.State.ExitCode, record.State.Error]).toEqual(['exited', 125, 'openat2 `/bin/busybox`: ENOTDIR (Not a directory)']);
        expect(record.NetworkSettings.IPAddress ?? '').toBe(''); // its address was freed with the rest
        expect((await carton(['rm', 'fails-early'])).status).toBe(0);
      }
    } finally {
      removeDir(dir);
    }
  });

  it('30 parallel rm -f remove all 30 containers: crash recovery skips what another command removes meanwhile', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `par-${i}`);
    await Promise.all(names.map((n) => carton(['run', '-d', '--network', 'none', '--name', n, 'carton/busybox', 'sleep', '120'])));
    const pids = await Promise.all(names.map(async (n) => (await inspect(n)).State.Pid as number));
    const results = await Promise.all(names.map((n) => carton(['rm', '-f', n])));
    expect(results.filter((r) => r.status !== 0).map((r) => r.stderr)).toEqual([]);
    expect((await carton(['ps', '-aq'])).stdout).toBe('');
    for (const pid of pids) expect(existsSync(`/proc/${pid}/cmdline`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('sleep')).toBe(false);
  }, 120_000); // 60 carton commands at once on a small machine

  it('a container whose record is corrupt is listed as Dead; rm -f of its id frees its process, cgroups, monitor, address, rules and veth', async () => {
    expect((await carton(['network', 'create', 'rel-net'])).status).toBe(0);
    expect((await carton(['run', '-d', '--name', 'corrupt', '--network', 'rel-net', '-p', '127.0.0.1::80', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    const before = await inspect('corrupt');
    const id: string = before.Id;
    const pid: number = before.State.Pid;
    const monitor: number = before.Carton.MonitorPid;
    const cgroups = readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n').map((l) => l.split(':')).filter(([, , path]) => path.includes(id));
    expect(cgroups.length).toBeGreaterThan(0);
    const layout = cgroupLayout();
    const dirs = cgroups.map(([, controllers, path]) => join(controllers === '' ? layout.v2Mount! : layout.v1[controllers.split(',').find((c) => layout.v1[c]) ?? '']!, path));
    const table = process.env.CARTON_NFT_TABLE!;
    expect(execFileSync('nft', ['list', 'table', 'ip', table], { encoding: 'utf8' })).toContain(`ctr:${id}`);
    expect(allocations().some((a) => a.owner === id)).toBe(true);
    storeRecord(id, ''); // as a bad disk or a hand edit might leave it

    const ps = await carton(['ps', '-a', '--format', '{{.ID}} {{.Status}}']);
    expect(ps.stdout).toContain(`${id.slice(0, 12)} Dead`);
    const dead = await inspect(id.slice(0, 12));
    expect([dead.State.Status, dead.State.Dead, dead.State.Error]).toEqual(['dead', true, expect.stringMatching(/record is corrupt.*rm -f/)]);
    const rm = await carton(['rm', '-f', id.slice(0, 12)]);
    expect([rm.status, rm.stderr]).toEqual([0, '']);
    expect(gone(pid)).toBe(true);
    expect(gone(monitor)).toBe(true);
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
    expect(execFileSync('nft', ['list', 'table', 'ip', table], { encoding: 'utf8' })).not.toContain(`ctr:${id}`);
    expect(allocations().some((a) => a.owner === id)).toBe(false);
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).not.toContain(`vc${id.slice(0, 8)}`);
    expect((await carton(['ps', '-aq'])).stdout).toBe('');
  });

  it('corrupt metadata (the image index, a config blob) gets one line naming the file, never a stack trace', async () => {
    const root = process.env.CARTON_ROOT!;
    const image = await inspect('carton/busybox');
    const config = join(root, 'images/blobs/sha256', image.Id.replace('sha256:', ''));
    const cases: Array<[string, string[], RegExp]> = [
      [join(root, 'images/index.json'), ['images'], /^carton: the image index `.*index\.json` is corrupt: /],
      [config, ['run', '--rm', '--network', 'none', 'carton/busybox', 'true'], /^carton: image blob `.*sha256\/[0-9a-f]{64}` is corrupt: /],
    ];
    for (const [file, command, error] of cases) {
      const saved = readFileSync(file);
      writeFileSync(file, '{"truncated": ');
      try {
        const r = await carton(command);
        expect(r.status, command.join(' ')).not.toBe(0);
        expect(r.stderr, command.join(' ')).toMatch(error);
        expect(r.stderr).not.toMatch(/internal error|^\s+at /m);
        expect(r.stderr.split('\n').filter((l) => l.startsWith('carton:'))).toHaveLength(1);
      } finally {
        writeFileSync(file, saved);
      }
    }
    expect((await carton(['run', '--rm', '--network', 'none', 'carton/busybox', 'true'])).status).toBe(0); // restored: all works again
  });

  it('an image whose config blob is corrupt is listed with its problem, found by system check, and rmi removes it and its blobs', async () => {
    const root = process.env.CARTON_ROOT!;
    const image = await inspect('carton/busybox');
    const blobs = join(root, 'images/blobs/sha256');
    writeFileSync(join(blobs, image.Id.replace('sha256:', '')), '{"truncated": ');
    const listed = await carton(['images', '--format', '{{.Repository}}']);
    expect([listed.status, listed.stdout]).toEqual([0, '']);
    expect(listed.stderr).toMatch(/^carton: warning: image carton\/busybox:latest \(manifest [0-9a-f]{12}\) is broken: image blob `.*` is corrupt: .*\nhint: .*carton rmi carton\/busybox:latest\n$/);
    const check = await carton(['system', 'check']);
    expect([check.status, check.stdout]).toEqual([1, expect.stringContaining('found: image carton/busybox:latest: image blob')]);
    const rmi = await carton(['rmi', 'carton/busybox']);
    expect([rmi.status, rmi.stdout, rmi.stderr]).toEqual([0, `Untagged: carton/busybox:latest\nDeleted: ${image.Carton.ManifestDigest}\n`, '']);
    expect(readdirSync(blobs)).not.toContain(image.Id.replace('sha256:', '')); // the corrupt blob went with it
    expect((await carton(['images'])).stderr).toBe('');
    expect((await carton(['run', '--rm', '--network', 'none', 'carton/busybox', 'echo', 'back'])).stdout).toBe('back\n'); // made again, as on first use
    expect((await carton(['system', 'check'])).status).toBe(0);
  });

  it('a network whose record is corrupt is listed with its problem, refused in one line, found by system check, and removed with its bridge', async () => {
    expect((await carton(['network', 'create', 'rel-meta'])).status).toBe(0);
    const [record] = JSON.parse((await carton(['network', 'inspect', 'rel-meta'])).stdout);
    const bridge: string = record.Options['com.docker.network.bridge.name'];
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).toContain(`${bridge}:`);
    changeState('UPDATE networks SET record = ? WHERE name = ?', ['{"truncated": ', 'rel-meta']); // as a bad disk or a hand edit might leave it

    const ls = await carton(['network', 'ls', '--format', '{{.Name}} {{.Subnet}}']);
    expect(ls.status).toBe(0);
    expect(ls.stdout).toContain('rel-meta (broken record)');
    expect(ls.stderr).toMatch(/^carton: warning: network rel-meta: its record in .*state\.db is corrupt: .*\nhint: carton network rm rel-meta/);
    const run = await carton(['run', '--rm', '--network', 'rel-meta', 'carton/busybox', 'true']);
    expect([run.status, run.stderr.split('\n').filter((l) => l.startsWith('carton:'))]).toEqual([125, [expect.stringMatching(/^carton: network rel-meta: its record in .*state\.db is corrupt/)]]);
    expect(run.stderr).not.toMatch(/internal error|^\s+at /m);
    expect((await carton(['ps', '-aq'])).stdout).toBe(''); // the refused run left no record
    const check = await carton(['system', 'check']);
    expect([check.status, check.stdout]).toEqual([1, expect.stringContaining('found: network rel-meta: its record in')]);

    const rm = await carton(['network', 'rm', 'rel-meta']);
    expect([rm.status, rm.stderr]).toEqual([0, '']);
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).not.toContain(`${bridge}:`);
    expect(execFileSync('nft', ['list', 'ruleset'], { encoding: 'utf8' })).not.toContain(`post-${bridge}`);
    expect((await carton(['network', 'ls'])).stderr).toBe('');
    expect((await carton(['system', 'check'])).status).toBe(0);
  });

  it('a full disk: the monitor survives a failed log write, the exit status is kept and recorded once space is freed, errors are one line', async () => {
    const disk = tempDir('carton-full-disk-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', disk]);
    const env = { CARTON_ROOT: join(disk, 'lib'), CARTON_RUN: join(disk, 'run') };
    const small = (args: string[]) => carton(args, { env });
    try {
      expect((await small(['run', '--rm', '--network', 'none', 'carton/busybox', 'true'])).status).toBe(0); // the default image, in this root
      // 30 MB of output into a log on a 16 MB filesystem.
      expect((await small(['run', '-d', '--name', 'flood', '--network', 'none', 'carton/busybox', 'sh', '-c', 'head -c 30000000 /dev/zero | tr "\\0" a | fold -w 1000; exit 3'])).status).toBe(0);
      const waited = await small(['wait', 'flood']);
      expect([waited.status, waited.stdout]).toEqual([0, '3\n']); // the status, not 255
      const full = await small(['run', '--rm', '--network', 'none', 'carton/busybox', 'true']);
      expect([full.status, full.stderr]).toEqual([125, expect.stringMatching(/^carton: .*ENOSPC \(no space left on device\)\nhint: the filesystem is full/)]);
      expect(full.stderr).not.toMatch(/internal error|^\s+at /m);
      writeFileSync(join(disk, 'lib/containers', (await small(['ps', '-aq', '--no-trunc'])).stdout.trim(), 'container.log'), ''); // space freed
      const after = JSON.parse((await small(['inspect', 'flood'])).stdout)[0];
      expect([after.State.Status, after.State.ExitCode]).toEqual(['exited', 3]);
      expect(after.Carton.LogError).toMatch(/ENOSPC/);
      expect((await small(['run', '--rm', '--network', 'none', 'carton/busybox', 'echo', 'room again'])).stdout).toBe('room again\n');
      expect((await small(['rm', 'flood'])).status).toBe(0);
      const leftovers = readdirSync(join(disk, 'lib/containers'));
      expect(leftovers.filter((f) => f !== '.lock' && !f.startsWith('.'))).toEqual([]);
      expect(leftovers.filter((f) => f.includes('.lock'))).toEqual([]); // no lock left behind
    } finally {
      execFileSync('umount', [disk]);
      removeDir(disk);
    }
  });

  it('a read-only filesystem (a fresh root, and one remounted read-only) and a tiny open-file limit: one line naming the errno and a hint, exit 125', async () => {
    const disk = tempDir('carton-read-only-');
    const env = { CARTON_ROOT: join(disk, 'lib'), CARTON_RUN: join(disk, 'run') };
    const oneLine = (r: { stderr: string }) => r.stderr.split('\n').filter((l) => l.startsWith('carton:'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=16m', 'tmpfs', disk]);
    try {
      // Node's recursive mkdir says ENOENT on a read-only filesystem; carton finds the real reason.
      const fresh = await carton(['run', '--rm', '--network', 'none', 'carton/busybox', 'true'], { env });
      expect([fresh.status, oneLine(fresh)]).toEqual([125, [expect.stringMatching(/^carton: mkdir `.*`: EROFS \(read-only file system\)$/)]]);
      expect(fresh.stderr).toMatch(/\nhint: the filesystem is mounted read-only/);
      execFileSync('mount', ['-o', 'remount,rw', disk]);
      expect((await carton(['run', '--name', 'kept', '--network', 'none', 'carton/busybox', 'true'], { env })).status).toBe(0);
      execFileSync('mount', ['-o', 'remount,ro', disk]);
      const existing = await carton(['run', '--rm', '--network', 'none', 'carton/busybox', 'true'], { env });
      expect([existing.status, oneLine(existing)]).toEqual([125, [expect.stringMatching(/^carton: open `.*state\.db`: EROFS \(read-only file system\)$/)]]);
      execFileSync('mount', ['-o', 'remount,rw', disk]);
      expect((await carton(['ps', '-a', '--format', '{{.Names}}'], { env })).stdout).toBe('kept\n'); // nothing was lost
      expect((await carton(['rm', 'kept'], { env })).status).toBe(0);
    } finally {
      execFileSync('umount', [disk]);
      removeDir(disk);
    }
    // Node itself crashes when fewer than about 24 files may be open: the launcher says so.
    const launcher = join(repo, 'lib/cli/carton');
    const tiny = await collect(spawn('sh', ['-c', `ulimit -n 20; exec "${launcher}" ps`], { stdio: ['ignore', 'pipe', 'pipe'] }));
    expect([tiny.status, oneLine(tiny)]).toEqual([125, [expect.stringMatching(/^carton: start: EMFILE \(too many open files\): the open-file limit is 20/)]]);
    // Enough to start, too few to run a container: the system call that failed, not a crash.
    const few = await collect(spawn('sh', ['-c', `ulimit -n 34; exec "${launcher}" run --rm --network none carton/busybox true`], { stdio: ['ignore', 'pipe', 'pipe'] }));
    expect(few.status === 0 || (few.status === 125 && /^carton: .*EMFILE \(too many open files\)$/.test(oneLine(few)[0] ?? '')), `${few.status} ${few.stderr}`).toBe(true);
  });

  it('flag edges as Docker: --cpus beyond the machine, --cpuset-cpus of CPUs it lacks, an empty command', async () => {
    const cpus = readFileSync('/sys/devices/system/cpu/online', 'utf8').trim();
    const count = [...cpus.split(',')].reduce((n, part) => n + (part.includes('-') ? Number(part.split('-')[1]) - Number(part.split('-')[0]) + 1 : 1), 0);
    const tooMany = await carton(['run', '--rm', '--network', 'none', '--cpus', String(count + 1), 'carton/busybox', 'true']);
    expect([tooMany.status, tooMany.stderr]).toEqual([125, expect.stringContaining(`range of CPUs is from 0.01 to ${count}.00, as there are only ${count} CPUs available`)]);
    const missing = await carton(['run', '--rm', '--network', 'none', '--cpuset-cpus', '999', 'carton/busybox', 'true']);
    expect([missing.status, missing.stderr]).toEqual([125, expect.stringContaining(`requested CPUs are not available - requested 999, available: ${cpus}`)]);
    const empty = await carton(['run', '--rm', '--network', 'none', 'carton/busybox', '']);
    expect([empty.status, empty.stderr]).toEqual([127, expect.stringContaining('exec: "": executable file not found in $PATH')]);
    expect((await carton(['ps', '-aq'])).stdout).toBe('');
  });

  it('system check finds what no living record explains (cgroups, address, rules) and --repair frees it', async () => {
    expect((await carton(['system', 'check'])).stdout).toBe('carton system check: the state is consistent\n');
    expect((await carton(['network', 'create', 'rel-check'])).status).toBe(0);
    expect((await carton(['run', '-d', '--name', 'leaky', '--network', 'rel-check', '-p', '127.0.0.1::80', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    const c = await inspect('leaky');
    // As a crash between the record's write and the release would leave it: the record says
    // exited, but its cgroups, address and rules are still there. (Its processes die with the
    // monitor, the parent that the stage's death signal names, and the veth with them.)
    process.kill(c.Carton.MonitorPid, 'SIGKILL');
    storeRecord(c.Id, JSON.stringify({ ...JSON.parse(storedRecord(c.Id)), status: 'exited', exitCode: 137 }));
    const check = await carton(['system', 'check']);
    expect(check.status).toBe(1);
    for (const what of [/^found: cgroup .*carton\/[0-9a-f]{64} belongs to container leaky, which is exited$/m, /^found: address \S+ on network rel-check is held by container leaky/m,
      /^found: nft rule prerouting handle \d+ \(ctr:[0-9a-f]{64}\)/m]) {
      expect(check.stdout).toMatch(what);
    }
    const repair = await carton(['system', 'check', '--repair']);
    expect([repair.status, repair.stdout.trim().split('\n').at(-1)]).toEqual([0, 'carton system check: repaired; the state is consistent']);
    expect(gone(c.State.Pid)).toBe(true);
    expect(execFileSync('nft', ['list', 'table', 'ip', process.env.CARTON_NFT_TABLE!], { encoding: 'utf8' })).not.toContain(`ctr:${c.Id}`);
    expect(allocations().some((a) => a.owner === c.Id)).toBe(false);
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).not.toContain(`vc${c.Id.slice(0, 8)}`);
    expect((await carton(['system', 'check'])).status).toBe(0);
    expect((await carton(['rm', 'leaky'])).status).toBe(0);
    expect((await carton(['network', 'rm', 'rel-check'])).status).toBe(0);
  });

  it('system prune frees a Dead container too', async () => {
    expect((await carton(['run', '-d', '--name', 'corrupt2', '--network', 'none', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    const { Id: id, State: { Pid: pid } } = await inspect('corrupt2');
    storeRecord(id, '{"id": "trunc');
    const prune = await carton(['system', 'prune', '-f']);
    expect(prune.status).toBe(0);
    expect(gone(pid)).toBe(true);
    expect((await carton(['ps', '-aq'])).stdout).toBe('');
  });
});
