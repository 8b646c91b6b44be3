// Health checks without a daemon: the monitor of a detached container (and carton run in the
// foreground) runs the check in the container, through the exec stage, and keeps the result
// in the record as Docker's State.Health. The probes are checked where they run: inside the
// container, confined as the container is (its capability sets, its filter).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, isRoot, removeAllContainers, removeDir, tempDir } from '../helpers/index.js';

const health = async (name: string) => JSON.parse((await carton(['inspect', '-f', '{{json .State.Health}}', name])).stdout) as { Status: string; FailingStreak: number; Log: Array<{ ExitCode: number; Output: string }> };

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

describe.skipIf(!isRoot)('health checks (needs root)', () => {
  const dir = tempDir('carton-health-');
  afterAll(async () => {
    await removeAllContainers();
    removeDir(dir);
  });

  it('a check runs in the container, confined as it is: starting, then healthy once it passes', async () => {
    const run = await carton(['run', '-d', '--name', 'hc', '--health-cmd', 'grep -E "^(CapEff|Seccomp):" /proc/self/status > /tmp/probe; test -e /tmp/ready',
      '--health-interval', '200ms', '--health-retries', '50', 'carton/busybox', 'sleep', '60']);
    expect(run.status).toBe(0);
    expect((await health('hc')).Status).toBe('starting');
    const probed = await until(() => carton(['exec', 'hc', 'cat', '/tmp/probe']), (r) => r.status === 0);
    const pid1 = await carton(['exec', 'hc', 'sh', '-c', 'grep -E "^(CapEff|Seccomp):" /proc/1/status']);
    expect(probed.stdout).toBe(pid1.stdout); // the same capabilities and seccomp mode as the container's PID 1
    expect(probed.stdout).toMatch(/Seccomp:\s+2/);
    expect((await health('hc')).Status).toBe('starting'); // failing, but retries not reached
    await carton(['exec', 'hc', 'touch', '/tmp/ready']);
    const healthy = await until(() => health('hc'), (h) => h.Status === 'healthy');
    expect(healthy).toMatchObject({ Status: 'healthy', FailingStreak: 0 });
    expect(healthy.Log.at(-1)?.ExitCode).toBe(0);
    expect(healthy.Log.length).toBeLessThanOrEqual(5);
    expect((await carton(['ps', '--filter', 'health=healthy', '--format', '{{.Names}} {{.Status}}'])).stdout).toMatch(/^hc Up .* \(healthy\)\n$/);
    const config = JSON.parse((await carton(['inspect', '-f', '{{json .Config.Healthcheck}}', 'hc'])).stdout);
    expect(config).toMatchObject({ Test: ['CMD-SHELL', expect.stringContaining('/tmp/ready')], Interval: 200e6, Retries: 50 });
    await carton(['rm', '-f', 'hc']);
  });

  it('retries consecutive failures make it unhealthy; a check that runs too long counts as failed', async () => {
    expect((await carton(['run', '-d', '--name', 'sick', '--health-cmd', 'echo no; exit 3', '--health-interval', '100ms', '--health-retries', '2', 'carton/busybox', 'sleep', '60'])).status).toBe(0);
    const sick = await until(() => health('sick'), (h) => h.Status === 'unhealthy');
    expect(sick.Status).toBe('unhealthy');
    expect(sick.FailingStreak).toBeGreaterThanOrEqual(2);
    expect(sick.Log.at(-1)).toMatchObject({ ExitCode: 3, Output: 'no\n' });
    expect((await carton(['ps', '--filter', 'name=sick', '--format', '{{.Status}}'])).stdout).toMatch(/\(unhealthy\)/);
    expect((await carton(['run', '-d', '--name', 'slow', '--health-cmd', 'sleep 5', '--health-timeout', '200ms', '--health-interval', '100ms', '--health-retries', '1', 'carton/busybox', 'sleep', '60'])).status).toBe(0);
    const slow = await until(() => health('slow'), (h) => h.Status === 'unhealthy');
    expect(slow.Log.at(-1)).toMatchObject({ ExitCode: -1, Output: 'Health check exceeded timeout (200ms)' });
    await carton(['rm', '-f', 'sick', 'slow']);
  });

  it("the image's HEALTHCHECK applies, --health-* change it and --no-healthcheck removes it", async () => {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM carton/busybox\nHEALTHCHECK --interval=100ms --retries=1 CMD touch /tmp/image-check\n');
    expect((await carton(['build', '-q', '-t', 'health-test', dir])).status).toBe(0);
    expect((await carton(['run', '-d', '--name', 'img', 'health-test', 'sleep', '60'])).status).toBe(0);
    await until(() => carton(['exec', 'img', 'test', '-e', '/tmp/image-check']), (r) => r.status === 0);
    expect((await until(() => health('img'), (h) => h.Status === 'healthy')).Status).toBe('healthy');
    const changed = await carton(['run', '-d', '--name', 'img2', '--health-retries', '7', 'health-test', 'sleep', '60']);
    expect(changed.status).toBe(0);
    expect(JSON.parse((await carton(['inspect', '-f', '{{json .Config.Healthcheck}}', 'img2'])).stdout)).toMatchObject({ Test: ['CMD-SHELL', 'touch /tmp/image-check'], Interval: 100e6, Retries: 7 });
    expect((await carton(['run', '-d', '--name', 'none', '--no-healthcheck', 'health-test', 'sleep', '60'])).status).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect((await carton(['exec', 'none', 'test', '-e', '/tmp/image-check'])).status).toBe(1); // never probed
    expect((await carton(['inspect', '-f', '{{.State.Health}}', 'none'])).status).toBe(1); // no such field, as Docker's
    await carton(['rm', '-f', 'img', 'img2', 'none']);
    await carton(['rmi', 'health-test']);
  });

  it('a foreground container is checked by carton run itself', async () => {
    const run = await carton(['run', '--rm', '--health-cmd', 'touch /tmp/probed', '--health-interval', '100ms', 'carton/busybox', 'sh', '-c', 'for i in $(seq 50); do test -e /tmp/probed && exit 0; sleep 0.1; done; exit 9']);
    expect([run.status, run.stderr]).toEqual([0, '']);
  });

  it('bad health options are refused before anything is created', async () => {
    for (const args of [['--health-interval', '5x'], ['--health-retries', '-1', '--health-cmd', 'true'], ['--no-healthcheck', '--health-cmd', 'true'], ['--health-timeout', '1s']]) {
      const r = await carton(['run', '--rm', ...args, 'carton/busybox', 'true']);
      expect([r.status, r.stderr.split('\n')[0]]).toEqual([125, expect.stringMatching(/^carton: .*(health|duration)/)]);
    }
    expect((await carton(['ps', '-aq'])).stdout).toBe('');
  });
});
