// carton events without a daemon: each command records what it causes, and `carton events`
// follows the record. Checked as a user watches it: one process following while containers,
// networks, volumes and images change, and a replay with --since/--until and filters.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, collect, isRoot, removeAllContainers, repo } from '../helpers/index.js';

interface Event { Type: string; Action: string; Actor: { ID: string; Attributes: Record<string, string> }; time: number; timeNano: number; status?: string }

describe.skipIf(!isRoot)('carton events (needs root)', () => {
  afterAll(async () => {
    await removeAllContainers();
    await carton(['network', 'rm', 'ev-net']);
  });

  it('a follower sees a container\'s life in order, with Docker\'s attributes and exit code', async () => {
    const follower = spawn(process.execPath, [join(repo, 'lib/cli/carton.js'), 'events', '--filter', 'type=container', '--format', 'json'], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const done = collect(follower);
    await new Promise((r) => setTimeout(r, 300)); // it reads the end of the record first
    const run = await carton(['run', '--rm', '--network', 'none', '--name', 'ev-one', '--label', 'team=blue', 'carton/busybox', 'sh', '-c', 'exit 4']);
    expect(run.status).toBe(4);
    await new Promise((r) => setTimeout(r, 400));
    follower.kill('SIGINT');
    const { status, stdout } = await done;
    expect(status).toBe(0);
    const events = stdout.trim().split('\n').map((l) => JSON.parse(l) as Event).filter((e) => e.Actor.Attributes.name === 'ev-one');
    expect(events.map((e) => e.Action)).toEqual(['create', 'start', 'die', 'destroy']);
    expect(events[2].Actor.Attributes).toMatchObject({ exitCode: '4', image: 'carton/busybox', name: 'ev-one', team: 'blue' });
    expect(events[0].Actor.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(events[0].status).toBe('create'); // Docker's older fields too
    expect(String(events[0].timeNano)).toMatch(/^\d{19}$/);
  });

  it('--since/--until replay what happened, filtered; health, pause, rename, network, volume and image events are there', async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    expect((await carton(['network', 'create', 'ev-net'])).status).toBe(0);
    expect((await carton(['run', '-d', '--name', 'ev-two', '--network', 'ev-net', '--health-cmd', 'true', '--health-interval', '100ms', 'carton/busybox', 'sleep', '60'])).status).toBe(0);
    await new Promise((r) => setTimeout(r, 600));
    await carton(['pause', 'ev-two']);
    await carton(['unpause', 'ev-two']);
    await carton(['rename', 'ev-two', 'ev-three']);
    await carton(['network', 'disconnect', 'ev-net', 'ev-three']);
    await carton(['rm', '-f', 'ev-three']);
    await carton(['network', 'rm', 'ev-net']);
    await carton(['volume', 'create', 'ev-vol']);
    await carton(['volume', 'rm', 'ev-vol']);
    await carton(['tag', 'carton/busybox', 'ev/image:1']);
    await carton(['rmi', 'ev/image:1']);
    const until = String(Math.floor(Date.now() / 1000) + 1);
    const all = await carton(['events', '--since', String(since), '--until', until, '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}']);
    expect(all.status).toBe(0);
    const lines = all.stdout.trim().split('\n');
    for (const expected of ['network create ev-net', 'container create ev-two', 'container start ev-two', 'container health_status: healthy ev-two', 'container pause ev-two',
      'container unpause ev-two', 'container rename ev-three', 'network disconnect ev-net', 'container destroy ev-three', 'network destroy ev-net', 'volume create <no value>', 'volume destroy <no value>',
      'image tag ev/image:1', 'image untag ev/image:1']) {
      expect(lines).toContain(expected);
    }
    expect(lines.indexOf('container pause ev-two')).toBeLessThan(lines.indexOf('container unpause ev-two'));
    const networks = await carton(['events', '--since', String(since), '--until', until, '--filter', 'type=network', '--format', '{{.Action}}']);
    expect(networks.stdout.trim().split('\n')).toEqual(['create', 'disconnect', 'destroy']);
    const byName = await carton(['events', '--since', String(since), '--until', until, '--filter', 'container=ev-three', '--filter', 'event=rename']);
    expect(byName.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z container rename [0-9a-f]{64} \(image=carton\/busybox, name=ev-three, oldName=\/ev-two\)\n$/);
    const bad = await carton(['events', '--filter', 'colour=red']);
    expect([bad.status, bad.stderr]).toEqual([1, expect.stringMatching(/invalid filter/)]);
  });
});
