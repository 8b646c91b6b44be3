// The everyday runtime: detached containers, their records, and crash recovery.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, collect, isRoot, mountsUnder, pidsWhere, removeAllContainers, repo } from '../helpers/index.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function inspect(ref: string): Promise<any> {
  const result = await carton(['inspect', ref]);
  return JSON.parse(result.stdout)[0];
}

async function until(check: () => Promise<boolean> | boolean, seconds = 15): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!isRoot)('detached containers (needs root)', () => {
  afterAll(async () => {
    await removeAllContainers();
  });

  it('run -d returns the id; ps shows it Up; logs shows its output; stop; ps -a shows Exited; rm removes everything', async () => {
    const run = await carton(['run', '-d', '--name', 'web', 'carton/busybox', 'sh', '-c', 'echo hello; echo oops >&2; while :; do sleep 1; done']);
    expect(run.status).toBe(0);
    const id = run.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);

    const ps = await carton(['ps']);
    expect(ps.stdout).toMatch(new RegExp(`^${id.slice(0, 12)}\\s+carton/busybox\\s+"sh -c echo hello;[^"]*"\\s+.*\\s+Up .*\\s+web$`, 'm'));
    const state = await inspect('web');
    expect(state.State.Running).toBe(true);
    expect(readdirSync(`/proc/${state.State.Pid}/ns`)).toContain('pid'); // a live host process

    await until(async () => (await carton(['logs', 'web'])).stdout === 'hello\n');
    const logs = await carton(['logs', '-t', 'web']);
    expect(logs.stderr).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z oops\n$/);

    const stop = await carton(['stop', '-t', '1', 'web']); // no trap: SIGTERM is ignored by PID 1, SIGKILL follows
    expect(stop.stdout).toBe('web\n');
    expect(alive(state.State.Pid)).toBe(false);
    expect((await carton(['ps', '-a'])).stdout).toMatch(/Exited \(137\) .* web$/m);
    expect((await carton(['ps'])).stdout).not.toMatch(/web/);

    expect((await carton(['rm', id.slice(0, 6)])).status).toBe(0); // a unique prefix selects it
    expect((await carton(['ps', '-aq'])).stdout).not.toContain(id.slice(0, 12));
    expect(existsSync(join(process.env.CARTON_ROOT!, 'containers', id))).toBe(false);
    expect(existsSync(join(process.env.CARTON_RUN!, id))).toBe(false);
    expect(mountsUnder(process.env.CARTON_RUN!)).toEqual([]);
  });

  it('stop sends SIGTERM first: a container that handles it exits at once with its own status', async () => {
    await carton(['run', '-d', '--name', 'polite', 'carton/busybox', 'sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.1; done']);
    expect((await carton(['stop', '-t', '30', 'polite'])).status).toBe(0);
    expect((await inspect('polite')).State.ExitCode).toBe(0);
    expect((await carton(['wait', 'polite'])).stdout).toBe('0\n');
    await carton(['rm', 'polite']);
  });

  it('refuses a name in use, and rm of a running container without -f', async () => {
    await carton(['run', '-d', '--name', 'taken', 'carton/busybox', 'sleep', '60']);
    const again = await carton(['run', '-d', '--name', 'taken', 'carton/busybox', 'true']);
    expect(again.status).toBe(125);
    expect(again.stderr).toMatch(/the container name `taken` is already in use/);
    const rm = await carton(['rm', 'taken']);
    expect(rm.status).toBe(1);
    expect(rm.stderr).toMatch(/cannot remove container taken: it is running/);
    expect((await carton(['rm', '-f', 'taken'])).status).toBe(0);
  });

  it('kill -s, wait and rename', async () => {
    await carton(['run', '-d', '--name', 'k1', '--init', 'carton/busybox', 'sleep', '60']);
    expect((await carton(['rename', 'k1', 'k2'])).status).toBe(0);
    const waiting = carton(['wait', 'k2']);
    expect((await carton(['kill', '-s', 'USR1', 'k2'])).status).toBe(0);
    expect((await waiting).stdout).toBe(`${128 + 10}\n`);
    await carton(['rm', 'k2']);
  });

  it('logs -f follows until the container exits', async () => {
    await carton(['run', '-d', '--name', 'counter', 'carton/busybox', 'sh', '-c', 'for i in 1 2 3; do echo $i; sleep 0.2; done']);
    const follow = await carton(['logs', '-f', 'counter']);
    expect(follow.stdout).toBe('1\n2\n3\n');
    await carton(['rm', 'counter']);
  });

  it('--restart on-failure:2 restarts a failing container twice, then leaves it exited', async () => {
    await carton(['run', '-d', '--name', 'flaky', '--restart', 'on-failure:2', 'carton/busybox', 'sh', '-c', 'echo run; exit 3']);
    await until(async () => {
      const s = await inspect('flaky');
      return s.State.Status === 'exited' && s.RestartCount === 2;
    }, 30);
    expect((await carton(['logs', 'flaky'])).stdout).toBe('run\nrun\nrun\n');
    expect((await inspect('flaky')).State.ExitCode).toBe(3);
    await carton(['rm', 'flaky']);
  });

  it('runs 30 detached containers started in parallel, each with a unique name and address; rm -f removes them all', async () => {
    const runs = await Promise.all(Array.from({ length: 30 }, () => carton(['run', '-d', 'carton/busybox', 'sleep', '120'])));
    expect(runs.map((r) => r.status)).toEqual(Array(30).fill(0));
    const ids = runs.map((r) => r.stdout.trim());
    expect(new Set(ids).size).toBe(30);
    const rows = (await carton(['ps', '--no-trunc', '--format', '{{.ID}}\\t{{.State}}\\t{{.Names}}'])).stdout.trim().split('\n').map((l) => l.split('\t'));
    const ours = rows.filter(([id]) => ids.includes(id));
    expect(ours).toHaveLength(30);
    expect(ours.every(([, state]) => state === 'running')).toBe(true);
    expect(new Set(ours.map((r) => r.at(-1))).size).toBe(30);
    const addresses = await Promise.all(ids.map(async (id) => (await inspect(id)).Carton.Resources.network?.address));
    expect(new Set(addresses).size).toBe(30);
    expect(addresses.every((a) => typeof a === 'string')).toBe(true);
    expect((await carton(['rm', '-f', ...ids])).status).toBe(0);
    const left = (await carton(['ps', '-aq', '--no-trunc'])).stdout;
    expect(ids.filter((id) => left.includes(id))).toEqual([]);
  }, 120_000);
});

describe.skipIf(!isRoot)('crash recovery (needs root)', () => {
  it('a killed monitor takes its container down, and the next command records it as exited', async () => {
    const id = (await carton(['run', '-d', '--name', 'orphan', 'carton/busybox', 'sleep', '120'])).stdout.trim();
    const before = await inspect(id);
    process.kill(before.Carton.MonitorPid, 'SIGKILL');
    await until(() => !alive(before.State.Pid));
    const ps = await carton(['ps', '-a']);
    expect(ps.stdout).toMatch(/Exited \(255\) .* orphan$/m);
    expect((await inspect(id)).State.Error).toMatch(/was killed/);
    expect((await carton(['system', 'prune', '-f'])).status).toBe(0);
    expect((await carton(['ps', '-aq'])).stdout).toBe('');
    expect(existsSync(join(process.env.CARTON_RUN!, id))).toBe(false);
    expect(mountsUnder(process.env.CARTON_RUN!)).toEqual([]);
  });

  it('a foreground carton killed with SIGKILL takes its container down, and ps -a shows it exited', async () => {
    const child = spawn(process.execPath, [join(repo, 'lib/cli/carton.js'), 'run', '--name', 'fg', 'carton/busybox', 'sh', '-c', 'echo up; exec sleep 120'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const done = collect(child);
    await new Promise((r) => child.stdout!.once('data', r));
    const pid = (await inspect('fg')).State.Pid;
    child.kill('SIGKILL');
    await done;
    await until(() => !alive(pid));
    expect((await carton(['ps', '-a'])).stdout).toMatch(/Exited \(255\) .* fg$/m);
    expect((await carton(['rm', 'fg'])).status).toBe(0);
  });
});

describe.skipIf(!isRoot)('the stage started ahead (needs root)', () => {
  /** The stages running now: carton's container processes that have not exec'd yet. */
  const stages = () => pidsWhere((cmdline) => cmdline.split('\0').some((a) => /\/runtime\/stage\.(js|ts)$/.test(a)));

  it('a foreground run boots its stage while it prepares; a run that fails first leaves no stage and does not wait for it', async () => {
    expect(stages()).toEqual([]);
    // The stage is spawned before the image is resolved: the missing image ends the run, and the stage with it.
    const missing = await carton(['run', '--rm', '--network', 'none', 'no/such-image', 'true']);
    expect(missing.status).toBe(125);
    expect(stages()).toEqual([]);
    // A bad flag found after the stage started: the same.
    const bad = await carton(['run', '--rm', '--network', 'none', '-w', 'relative', 'carton/busybox', 'true']);
    expect([bad.status, bad.stderr]).toEqual([125, expect.stringMatching(/working directory .* is invalid/)]);
    expect(stages()).toEqual([]);
    // And a run that goes on uses it: the container's program is PID 1 of the stage's namespace.
    const ran = await carton(['run', '--rm', '--network', 'none', 'carton/busybox', 'sh', '-c', 'echo $$']);
    expect([ran.status, ran.stdout]).toEqual([0, '1\n']);
  });
});

describe.skipIf(!isRoot)('create, start, restart, top (needs root)', () => {
  it('create makes a Created container; start runs it detached; restart runs it again; top lists its processes', async () => {
    const id = (await carton(['create', '--name', 'later', 'carton/busybox', 'sh', '-c', 'echo run; exec sleep 60'])).stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect((await carton(['ps', '-a', '--format', '{{.Names}}={{.Status}}'])).stdout).toContain('later=Created');
    expect((await carton(['start', 'later'])).stdout).toBe('later\n');
    const first = (await inspect('later')).State.Pid;
    const top = await carton(['top', 'later']);
    expect(top.stdout).toMatch(new RegExp(`^UID\\s+PID\\s+PPID\\s+C\\s+STIME\\s+TTY\\s+TIME\\s+CMD\n\\s*root\\s+${first}\\s+.*sleep 60\n$`));
    // Options that select every process (BSD aux, -e) still list the container's only:
    // each PID printed is in the container's PID namespace.
    const containerNs = readlinkSync(`/proc/${first}/ns/pid`);
    for (const [options, column] of [[['aux'], 1], [['-ef'], 1], [['-o', 'pid,comm'], 0]] as const) {
      const [header, ...rows] = (await carton(['top', 'later', ...options])).stdout.trim().split('\n');
      expect(header.trim().split(/\s+/)[column]).toBe('PID');
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(readlinkSync(`/proc/${row.trim().split(/\s+/)[column]}/ns/pid`)).toBe(containerNs);
    }
    expect((await carton(['top', 'later', '-o', 'comm'])).status).not.toBe(0); // no PID column to filter by
    expect((await carton(['restart', '-t', '0', 'later'])).status).toBe(0);
    const second = (await inspect('later')).State.Pid;
    expect(second).not.toBe(first);
    expect(alive(first)).toBe(false);
    await until(async () => (await carton(['logs', 'later'])).stdout === 'run\nrun\n');
    expect((await carton(['rm', '-f', 'later'])).status).toBe(0);
  });
});

describe.skipIf(!isRoot)('killing carton at several points of run (needs root)', () => {
  it('whenever carton dies, ps -a shows no running container and system prune leaves nothing behind', async () => {
    const names: string[] = [];
    for (const [i, delay] of [0, 40, 90, 150, 250, 400, 700].entries()) {
      const name = `crash${i}`;
      names.push(name);
      const child = spawn(process.execPath, [join(repo, 'lib/cli/carton.js'), 'run', '--name', name, '-m', '64m', '-p', `${23000 + i}:80`, 'carton/busybox', 'sleep', '60'], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await new Promise((r) => child.on('close', r));
    }
    const ps = (await carton(['ps', '-a', '--format', '{{.Names}}\\t{{.State}}'])).stdout.trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
    for (const [name, state] of ps.filter(([n]) => names.includes(n))) expect(state, name).not.toBe('running');
    const ids = (await carton(['ps', '-aq', '--no-trunc'])).stdout.trim().split('\n').filter(Boolean);
    expect((await carton(['system', 'prune', '-f'])).status).toBe(0);
    expect((await carton(['ps', '-aq'])).stdout).toBe('');
    const cgroups = execFileSync('find', ['/sys/fs/cgroup', '-maxdepth', '3'], { encoding: 'utf8' });
    const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' });
    const rules = execFileSync('nft', ['list', 'ruleset'], { encoding: 'utf8' });
    for (const id of ids) {
      expect(cgroups).not.toContain(id);
      expect(links).not.toContain(`vc${id.slice(0, 8)}`);
      expect(rules).not.toContain(id.slice(0, 12));
    }
    for (let i = 0; i < 7; i++) expect(rules).not.toMatch(new RegExp(`dport ${23000 + i}\\b`));
    expect(readdirSync(process.env.CARTON_RUN!)).toEqual([]);
    expect(mountsUnder(process.env.CARTON_RUN!)).toEqual([]);
  }, 60_000);
});
