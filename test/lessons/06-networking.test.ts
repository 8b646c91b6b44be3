// Chapter 06's lesson: its commands work as written and do what the lesson says.
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { carton, isRoot, removeDir, eventually, tempDir } from '../helpers/index.js';
import { checkBlockFailsOnStubs, lessonBlock, sh } from '../helpers/lesson.js';

const CHAPTER = '06-networking';

describe.skipIf(!isRoot)('chapter 06 lesson commands (needs root)', () => {
  const dir = tempDir('carton-lesson06-');
  afterAll(async () => {
    await carton(['rm', '-f', 'web', 'site', 'p']);
    await carton(['network', 'rm', 'app', 'front', 'back']);
    removeDir(dir);
  });

  it('netns: a namespace with only lo, down until it is set up', async () => {
    expect(existsSync('/run/netns/red'), 'a namespace called red exists already on this machine').toBe(false);
    const [add, addr, unreachable, up, reachable, del] = lessonBlock(CHAPTER, 'netns');
    try {
      expect((await sh(add)).status).toBe(0);
      expect((await sh(addr)).stdout).toMatch(/^1: lo: <LOOPBACK> .* state DOWN/);
      const before = await sh(unreachable);
      expect(before.status).not.toBe(0);
      expect(before.stderr).toMatch(/Network is unreachable/);
      expect((await sh(up)).status).toBe(0);
      expect((await sh(reachable)).stdout).toMatch(/1 packets transmitted, 1 (packets )?received/);
    } finally {
      expect((await sh(del)).status).toBe(0);
    }
    expect(existsSync('/run/netns/red')).toBe(false);
  });

  it('veth: one command makes the pair, its host end in the bridge and its other end inside', async () => {
    for (const name of ['demo0', 'vcdemo']) expect(existsSync(`/sys/class/net/${name}`), `${name} exists already on this machine`).toBe(false);
    expect(existsSync('/run/netns/blue'), 'a namespace called blue exists already on this machine').toBe(false);
    const [bridge, netns, add, inside, plugged, delNetns, delBridge] = lessonBlock(CHAPTER, 'veth');
    try {
      for (const line of [bridge, netns, add]) expect((await sh(line)).status, line).toBe(0);
      // Kernel state, not the printed table: eth0 is in blue, the host end's master is demo0.
      const links = JSON.parse((await sh('ip -n blue -j link')).stdout) as Array<{ ifname: string }>;
      expect(links.map((l) => l.ifname).sort()).toEqual(['eth0', 'lo']);
      expect((await sh(inside)).stdout).toMatch(/^eth0@\S+ +DOWN/m);
      expect(readlinkSync('/sys/class/net/vcdemo/master')).toMatch(/\/demo0$/);
      expect(Number(readFileSync('/sys/class/net/vcdemo/flags', 'utf8')) & 1, 'IFF_UP').toBe(1);
      expect((await sh(plugged)).stdout).toMatch(/^vcdemo@\S+ +\S+/m);
      expect((await sh(delNetns)).status).toBe(0);
      await vi.waitFor(() => expect(existsSync('/sys/class/net/vcdemo')).toBe(false), { timeout: 5000 });
      expect((await sh(delBridge)).status).toBe(0);
    } finally {
      await sh('ip netns del blue 2>/dev/null; ip link del vcdemo 2>/dev/null; ip link del demo0 2>/dev/null; true');
    }
    expect(existsSync('/sys/class/net/demo0')).toBe(false);
  });

  it('networks: create, list, inspect, see the bridge, remove', async () => {
    const [create, ls, inspect, bridges, rm] = lessonBlock(CHAPTER, 'networks');
    const id = (await sh(create)).stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect((await sh(ls)).stdout).toMatch(/^NETWORK ID +NAME +DRIVER +SCOPE +SUBNET\n[\s\S]*\bapp +bridge/m);
    const [network] = JSON.parse((await sh(inspect)).stdout) as { Id: string }[];
    expect(network.Id).toBe(id);
    expect((await sh(bridges)).stdout).toContain(`cb-${id.slice(0, 8)}`);
    expect((await sh(rm)).status).toBe(0);
  });

  it('connect: a second network is a second interface, with one default route', async () => {
    const [create, run, connect, addr, route, clean] = lessonBlock(CHAPTER, 'connect');
    for (const line of [create, run, connect]) expect((await sh(line)).status, line).toBe(0);
    const addresses = (await sh(addr)).stdout;
    expect(addresses).toMatch(/\beth0\b.*inet /);
    expect(addresses).toMatch(/\beth1\b.*inet /);
    const routes = (await sh(route)).stdout.trim().split('\n');
    expect(routes.filter((r) => r.startsWith('default'))).toEqual([expect.stringMatching(/dev eth0/)]);
    expect((await sh(clean)).status).toBe(0);
  });

  it('run: eth0 and lo, with the reference code and with the learner\'s switch', async () => {
    const [reference, mine] = lessonBlock(CHAPTER, 'run');
    const addr = await sh(reference);
    expect(addr.status, addr.stderr).toBe(0);
    expect(addr.stdout).toMatch(/: lo: [\s\S]*: eth0@\w+: [\s\S]*inet \d+\.\d+\.\d+\.\d+\//);
    const learner = await sh(mine, { CARTON_SOLUTIONS: '1-6' });
    expect(learner.status, learner.stderr).toBe(0);
    expect(learner.stdout).toMatch(/: eth0@/);
    const stub = await sh(mine, { CARTON_SOLUTIONS: '1-5' });
    expect(stub.status).toBe(125);
    expect(stub.stderr).toMatch(/TODO: /);
  });

  it('publish: a published port, names on a network, and -P', async () => {
    const [site, fetch, fetch6, rmSite, create, web, get, hosts, clean, publishAll, rmP] = lessonBlock(CHAPTER, 'publish');
    expect((await sh(site)).status).toBe(0);
    expect((await eventually(() => sh(fetch))).stdout).toBe('hi\n');
    expect(fetch6).toMatch(/\[::1\]/);
    expect((await eventually(() => sh(fetch6))).stdout).toBe('hi\n');
    expect((await sh(rmSite)).status).toBe(0);
    expect((await sh(create)).status).toBe(0);
    expect((await sh(web)).status).toBe(0);
    expect((await eventually(() => sh(get))).stdout).toBe('hello\n');
    expect((await sh(hosts)).stdout).toMatch(/\bweb\b/);
    expect((await sh(clean)).status).toBe(0);
    const ports = await sh(publishAll);
    expect(ports.stdout).toMatch(/^80\/tcp -> 0\.0\.0\.0:(\d+)\n80\/tcp -> \[::\]:\1$/m);
    expect((await sh(rmP)).status).toBe(0);
  }, 60_000);

  it('check: the workbook and vitest both check the chapter (and fail on the stubs)', async () => {
    await checkBlockFailsOnStubs(lessonBlock(CHAPTER, 'check'), /TODO: vethNames/, join(dir, 'progress.json'));
  }, 240_000);
});
