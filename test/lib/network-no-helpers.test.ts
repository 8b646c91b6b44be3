// A container's network is set up without starting a process: no `ip`, `nft` or `nsenter`
// on the path of `carton run` (bridge network, a published port), `network connect`,
// `network disconnect` and `rm`. Checked with the kernel's own record of what ran: every
// execve(2) of carton and of everything it starts, traced by strace -f.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, isRoot, removeAllContainers, removeDir, repo, tempDir } from '../helpers/index.js';

const dir = tempDir('carton-trace-');
const sleep = () => new Promise((resolve) => setTimeout(resolve, 20));
const read = (path: string) => { try { return readFileSync(path, 'utf8'); } catch { return ''; } };

/**
 * Run carton under strace; its exit status, and the programs every traced process executed.
 * A detached container's monitor outlives the CLI, and strace -f would wait for it (and keeps
 * its log unflushed meanwhile): once the CLI, strace's child, has exited, strace is stopped,
 * which flushes the log and detaches from the rest. `-I 1` lets SIGTERM reach strace: with
 * `-o FILE PROG` it blocks fatal signals by default.
 */
async function traced(args: string[], outlives = false): Promise<{ status: number; stderr: string; programs: string[] }> {
  const log = join(dir, `trace-${Math.random().toString(36).slice(2)}`);
  // stderr goes to a file, not a pipe: a detached container's monitor inherits it and would
  // hold a pipe open long after the CLI has gone.
  const errors = openSync(`${log}.err`, 'w');
  const child = spawn('strace', ['-f', '-q', '-I', '1', '-e', 'trace=execve', '-e', 'signal=none', '-o', log, process.execPath, join(repo, 'lib/cli/carton.js'), ...args], { stdio: ['ignore', 'ignore', errors] });
  closeSync(errors);
  const exited = once(child, 'exit');
  if (outlives) {
    // The CLI is strace's child. Seen running carton.js once, then reaped by strace, it has
    // exited: stop strace, which flushes its log (buffered while it traces the monitor) and
    // detaches.
    let cli = '';
    while (child.exitCode === null && !cli) {
      const pid = read(`/proc/${child.pid}/task/${child.pid}/children`).trim().split(' ')[0];
      if (pid && read(`/proc/${pid}/cmdline`).includes('carton.js')) cli = pid;
      else await sleep();
    }
    // Reaped, not only a zombie: strace records "+++ exited with N +++" when it reaps the
    // CLI, and a SIGTERM between the two lost that line on a busy machine (status -1).
    while (child.exitCode === null && cli && read(`/proc/${cli}/stat`) !== '') await sleep();
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  await exited;
  const text = readFileSync(log, 'utf8');
  const first = /^(\d+)\s/.exec(text)![1];
  const status = Number(new RegExp(`^${first}\\s+\\+\\+\\+ exited with (\\d+)`, 'm').exec(text)?.[1] ?? -1);
  return { status, stderr: readFileSync(`${log}.err`, 'utf8'), programs: programsIn(text) };
}
/** The programs a trace shows executed (a call strace shows in two halves included). */
function programsIn(trace: string): string[] {
  const pending = new Map<string, string>();
  const programs: string[] = [];
  for (const line of trace.split('\n')) {
    // strace pads a pid to five columns: "7193  execve(…".
    const whole = /^(\d+)\s+execve\("([^"]+)".*\)\s*=\s*0$/.exec(line);
    const started = /^(\d+)\s+execve\("([^"]+)".*<unfinished \.\.\.>$/.exec(line);
    const resumed = /^(\d+)\s+<\.\.\. execve resumed>.*\)\s*=\s*0$/.exec(line);
    if (whole) programs.push(whole[2]);
    else if (started) pending.set(started[1], started[2]);
    else if (resumed && pending.has(resumed[1])) programs.push(pending.get(resumed[1])!);
  }
  return programs;
}
const helpers = (programs: string[]) => programs.filter((p) => /(^|\/)(ip|nft|nsenter)$/.test(p));

describe.skipIf(!isRoot)('network set-up starts no helper process (needs root)', () => {
  afterAll(async () => {
    await removeAllContainers();
    await carton(['network', 'rm', 'traced']);
    removeDir(dir);
  });

  it('run on the default bridge with -p, then on a network of its own: no ip, nft or nsenter', async () => {
    // The container did run, with its address: the trace follows into its namespaces.
    const run = await traced(['run', '--rm', '-p', '127.0.0.1::80', 'carton/busybox', 'sh', '-c', 'ip -o -4 addr show eth0 | grep -q inet && ip route | grep -q "^default via"']);
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(run.programs).toContain('/bin/sh');
    expect(helpers(run.programs)).toEqual([]);

    expect((await carton(['network', 'create', 'traced'])).status).toBe(0);
    const detached = await traced(['run', '-d', '--name', 'traced1', '--network', 'traced', 'carton/busybox', 'sleep', '300'], true);
    expect([detached.status, detached.stderr]).toEqual([0, '']);
    expect(helpers(detached.programs)).toEqual([]);
    for (const args of [['network', 'connect', 'bridge', 'traced1'], ['network', 'disconnect', 'bridge', 'traced1'], ['rm', '-f', 'traced1']]) {
      const step = await traced(args);
      expect([args, step.status, step.stderr]).toEqual([args, 0, '']);
      expect([args, helpers(step.programs)]).toEqual([args, []]);
    }
  });

  it('the trace does see an ip process when one runs (the check can fail)', () => {
    // The same tracing, around a command that does run `ip`: it must show up.
    const log = join(dir, 'control');
    execFileSync('strace', ['-f', '-qq', '-e', 'trace=execve', '-o', log, 'sh', '-c', 'ip -o link show lo >/dev/null']);
    expect(helpers(programsIn(readFileSync(log, 'utf8'))).length).toBeGreaterThan(0);
  });
});
