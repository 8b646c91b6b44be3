// carton compose's other everyday paths: up in the foreground (the services' output prefixed
// by container name, Ctrl-C stopping them gracefully), --abort-on-container-exit with
// --exit-code-from, create then start, pause and unpause (the freezer in the kernel), kill -s,
// rm -s -f, and logs -f following until the containers exit.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, collect, isRoot, removeAllContainers, removeDir, repo, tempDir } from '../helpers/index.js';
import { cgroupLayout } from '../../solutions/00-doctor/cgroup-layout.js';

/** Is the process's cgroup frozen (the v1 freezer's state, or v2's cgroup.events)? */
function frozen(pid: number): boolean {
  const layout = cgroupLayout();
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n').map((l) => l.split(':'));
  const v1 = lines.find(([, c]) => c.split(',').includes('freezer'));
  if (layout.v1.freezer && v1) return readFileSync(join(layout.v1.freezer, v1[2], 'freezer.state'), 'utf8').trim() === 'FROZEN';
  const v2 = lines.find(([h]) => h === '0')!;
  return /^frozen 1$/m.test(readFileSync(join(layout.v2Mount!, v2[2], 'cgroup.events'), 'utf8'));
}

const TICKER = `services:
  ticker:
    image: carton/busybox
    command: ["sh", "-c", "trap 'echo bye; exit 0' TERM; echo tick; while :; do sleep 0.1; done"]
  once:
    image: carton/busybox
    command: ["sh", "-c", "echo done once; exit 3"]
`;

describe.skipIf(!isRoot)('carton compose in the foreground, and the lifecycle sub-commands (needs root)', () => {
  const dir = tempDir('carton-compose-cli-');
  const project = (name: string, text: string) => {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'compose.yaml'), text);
    return join(dir, name, 'compose.yaml');
  };
  afterAll(async () => {
    for (const name of ['fg', 'abort', 'life']) await carton(['compose', '-f', join(dir, name, 'compose.yaml'), 'down']);
    await removeAllContainers();
    removeDir(dir);
  });

  it('up in the foreground shows the output prefixed by container name; SIGINT stops the services gracefully', async () => {
    const file = project('fg', TICKER);
    const child = spawn(process.execPath, [join(repo, 'lib/cli/carton.js'), 'compose', '-f', file, 'up'], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const result = collect(child);
    let seen = '';
    child.stdout!.on('data', (d: Buffer) => (seen += d.toString()));
    for (let i = 0; i < 100 && !(seen.includes('tick') && seen.includes('exited with code 3')); i++) await new Promise((r) => setTimeout(r, 100));
    const ticker = JSON.parse((await carton(['inspect', 'fg-ticker-1'])).stdout)[0];
    expect(ticker.State.Status).toBe('running');
    child.kill('SIGINT');
    const { status, stdout, stderr } = await result;
    expect(status).toBe(130);
    expect(stdout).toMatch(/^Attaching to fg-once-1, fg-ticker-1$/m);
    expect(stdout).toMatch(/^fg-once-1 {4}\| done once$/m);
    expect(stdout).toMatch(/^fg-once-1 exited with code 3$/m);
    expect(stdout).toMatch(/^fg-ticker-1 {2}\| tick$/m);
    expect(stdout).toMatch(/^fg-ticker-1 {2}\| bye$/m); // it got SIGTERM and said so before it ended
    expect(stderr).toMatch(/Gracefully stopping/);
    const after = JSON.parse((await carton(['inspect', 'fg-ticker-1'])).stdout)[0];
    expect([after.State.Status, after.State.ExitCode]).toEqual(['exited', 0]);
  });

  it('--abort-on-container-exit stops the rest when one exits; --exit-code-from returns its status', async () => {
    const file = project('abort', TICKER);
    const r = await carton(['compose', '-f', file, 'up', '--exit-code-from', 'once']);
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/Aborting on container exit/);
    expect(JSON.parse((await carton(['inspect', 'abort-ticker-1'])).stdout)[0].State.Status).toBe('exited');
  });

  it('create then start; pause freezes the processes and unpause thaws them; kill -s; rm -s -f; logs -f', async () => {
    const file = project('life', 'services:\n  app:\n    image: carton/busybox\n    init: true\n    command: ["sh", "-c", "echo up; sleep 300"]\n');
    const compose = (...args: string[]) => carton(['compose', '-f', file, ...args]);
    expect((await compose('create')).status).toBe(0);
    expect(JSON.parse((await carton(['inspect', 'life-app-1'])).stdout)[0].State.Status).toBe('created');
    expect((await compose('start')).status).toBe(0);
    const pid = JSON.parse((await carton(['inspect', 'life-app-1'])).stdout)[0].State.Pid;
    expect((await compose('pause')).status).toBe(0);
    expect(frozen(pid)).toBe(true);
    expect(JSON.parse((await carton(['inspect', 'life-app-1'])).stdout)[0].State.Status).toBe('paused');
    expect((await compose('unpause')).status).toBe(0);
    expect(frozen(pid)).toBe(false);
    expect(JSON.parse((await carton(['inspect', 'life-app-1'])).stdout)[0].State.Status).toBe('running');
    const follow = compose('logs', '-f');
    expect((await compose('kill', '-s', 'SIGKILL')).status).toBe(0);
    const logs = await follow; // ends once the container has exited
    expect(logs.stdout).toBe('life-app-1  | up\n');
    expect(JSON.parse((await carton(['inspect', 'life-app-1'])).stdout)[0].State.ExitCode).toBe(137);
    expect((await compose('start')).status).toBe(0);
    expect((await compose('rm', '-s', '-f')).status).toBe(0);
    expect((await carton(['inspect', 'life-app-1'])).status).toBe(1);
  });
});
