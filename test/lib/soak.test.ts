// A soak test (#20): four workers at once, each a seeded random walk of run -d, exec, stop,
// rm -f, network connect and carton commands killed with SIGKILL part-way. Bounded by a
// count of steps, not by time. At the end, after rm -f of what is left, `system check`
// finds the state consistent, and the host holds nothing of these containers: no process,
// cgroup, veth, nft rule or address allocation.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allocations, carton, collect, isRoot, removeAllContainers, repo } from '../helpers/index.js';

const STEPS = 14;
const WORKERS = 4;

/** A small seeded generator (mulberry32): the same seed gives the same walk. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A carton command killed with SIGKILL after `ms`: as a user's Ctrl-\ or the OOM killer would leave it. */
async function killedAfter(args: string[], ms: number): Promise<void> {
  const child = spawn(process.execPath, [join(repo, 'lib/cli/carton.js'), ...args], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  await collect(child);
  clearTimeout(timer);
}

/** What carton holds on the host, for a before/after comparison: rules, addresses, veths, cgroups. */
function held(): { rules: string[]; owners: string[]; veths: string[]; cgroups: string[] } {
  let rules: string[] = [];
  try {
    rules = execFileSync('nft', ['list', 'table', 'ip', process.env.CARTON_NFT_TABLE!], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).match(/ctr:[0-9a-f]{64}/g) ?? [];
  } catch {
    // no table yet
  }
  const owners = allocations().map((a) => a.owner);
  const veths = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n').map((l) => l.split(': ')[1]?.split('@')[0]).filter((n): n is string => !!n && n.startsWith('vc'));
  const cgroups = execFileSync('sh', ['-c', 'find /sys/fs/cgroup -maxdepth 4 -type d -path "*/carton/*" 2>/dev/null || true'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  return { rules: [...new Set(rules)].sort(), owners: owners.sort(), veths: veths.sort(), cgroups: cgroups.sort() };
}

describe.skipIf(!isRoot)('soak: four workers of random commands and kills (needs root)', () => {
  const seed = Number(process.env.CARTON_SOAK_SEED ?? Date.now() % 100_000);
  afterAll(async () => {
    await removeAllContainers();
    await carton(['network', 'rm', 'soak-net']);
  });

  it(`ends consistent, with nothing leaked (seed ${seed}; CARTON_SOAK_SEED=${seed} repeats it)`, async () => {
    const before = held();
    expect((await carton(['network', 'create', 'soak-net'])).status).toBe(0);
    const made: string[] = [];
    const worker = async (w: number) => {
      const next = random(seed * 10 + w);
      const mine: string[] = [];
      const pick = () => mine[Math.floor(next() * mine.length)];
      for (let step = 0; step < STEPS; step++) {
        const roll = next();
        const name = `soak-${w}-${step}`;
        if (roll < 0.3 || mine.length === 0) {
          const network = ['none', 'bridge', 'soak-net'][Math.floor(next() * 3)];
          const r = await carton(['run', '-d', '--name', name, '--network', network, ...(network === 'none' ? [] : ['-p', '127.0.0.1::80']), 'carton/busybox', 'sleep', '300']);
          if (r.status === 0) mine.push(name);
          made.push(name);
        } else if (roll < 0.45) {
          await carton(['exec', pick(), 'true']);
        } else if (roll < 0.6) {
          await carton(['stop', '-t', '1', pick()]);
        } else if (roll < 0.72) {
          const victim = pick();
          await carton(['rm', '-f', victim]);
          mine.splice(mine.indexOf(victim), 1);
        } else if (roll < 0.82) {
          await carton(['network', 'connect', 'soak-net', pick()]);
        } else if (roll < 0.92) {
          made.push(name);
          await killedAfter(['run', '-d', '--name', name, '--network', 'bridge', 'carton/busybox', 'sleep', '300'], Math.floor(next() * 600));
        } else {
          await killedAfter(['rm', '-f', pick()], Math.floor(next() * 300));
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));

    // Everything the walk made, whatever state each is in (Dead included), goes with rm -f.
    const ids = (await carton(['ps', '-aq', '--no-trunc'])).stdout.split('\n').filter(Boolean);
    const listed = JSON.parse((await carton(['inspect', ...ids])).stdout || '[]') as Array<{ Id: string; State: { Pid: number } }>;
    const rm = ids.length ? await carton(['rm', '-f', ...ids]) : { status: 0, stderr: '' };
    expect(rm.status, rm.stderr).toBe(0);
    const check = await carton(['system', 'check']);
    expect([check.status, check.stdout], check.stdout).toEqual([0, 'carton system check: the state is consistent\n']);
    expect((await carton(['ps', '-aq'])).stdout).toBe('');

    // On the host: none of their processes, and of all of them no cgroup, veth, rule or address.
    for (const c of listed) {
      if (c.State.Pid > 0 && existsSync(`/proc/${c.State.Pid}/status`)) expect(readFileSync(`/proc/${c.State.Pid}/status`, 'utf8')).toMatch(/^State:\s+Z/m);
    }
    expect(held()).toEqual(before);
    expect(made.length).toBeGreaterThan(0);
  }, 600_000);
});
