// Chapter 06 in the runtime: `carton network connect` and `disconnect`. A container on two
// networks has one interface in each (eth0, eth1), one default route, and the names of
// both networks in its /etc/hosts; disconnecting (or dying) gives all of it back.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, eventually, isRoot, removeAllContainers } from '../helpers/index.js';
import { fetchIn, hostsOf, inspectNet, ipamOf, names, NO_ANSWER } from '../helpers/network.js';

const hostLinks = () => execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' });
/** Interfaces and IPv4 addresses inside: { eth0: "10.89.0.2/16", ... }. */
async function addressesIn(container: string): Promise<Record<string, string>> {
  const out = (await carton(['exec', container, 'ip', '-o', '-4', 'addr'])).stdout;
  return Object.fromEntries([...out.matchAll(/^\d+:\s+(\S+)\s+inet (\S+)/gm)].map((m) => [m[1], m[2]]));
}

const server = ['sh', '-c', 'mkdir -p /www && echo hello-from-db > /www/index.html && exec httpd -f -p 8000 -h /www'];

describe.skipIf(!isRoot)('network connect and disconnect (needs root)', () => {
  afterAll(async () => {
    await removeAllContainers();
    await carton(['network', 'rm', 'front', 'back']);
  });

  it('a container connected to a second network reaches it by name, keeps one default route, and leaves it cleanly', async () => {
    expect((await carton(['network', 'create', 'front'])).status).toBe(0);
    expect((await carton(['network', 'create', 'back'])).status).toBe(0);
    const web = (await carton(['run', '-d', '--name', 'web', '--network', 'front', 'carton/busybox', 'sleep', '300'])).stdout.trim();
    const db = (await carton(['run', '-d', '--name', 'db', '--network', 'back', 'carton/busybox', ...server])).stdout.trim();
    const dbAddress = ipamOf('back').find((a) => a.owner === db)!.address;
    expect(names(await hostsOf('web'))).not.toContain('db');
    expect(NO_ANSWER).toContain((await fetchIn('web', 'http://db:8000/')).status); // no such name
    expect(NO_ANSWER).toContain((await fetchIn('web', `http://${dbAddress}:8000/`)).status); // another network: dropped

    const connected = await carton(['network', 'connect', '--alias', 'frontend', 'back', 'web']);
    expect([connected.status, connected.stderr]).toEqual([0, '']);
    const back = (await inspectNet('back')).IPAM.Config[0];
    const inside = await addressesIn('web');
    const { contains } = await import('../../solutions/06-networking/addr.js');
    expect(contains(back.Subnet, inside.eth1.split('/')[0])).toBe(true);
    expect(inside.eth1.split('/')[1]).toBe(back.Subnet.split('/')[1]);
    const routes = (await carton(['exec', 'web', 'ip', 'route'])).stdout;
    expect(routes.match(/^default /gm)).toHaveLength(1);
    expect(routes).toMatch(/^default via \S+ dev eth0/m);
    const fromWeb = await eventually(() => carton(['exec', 'web', 'wget', '-qO-', 'http://db:8000/']));
    expect(fromWeb.stdout).toBe('hello-from-db\n');
    expect(names(await hostsOf('db'))).toEqual(expect.arrayContaining(['web', 'frontend', web.slice(0, 12)]));
    expect((await carton(['exec', 'db', 'ping', '-c', '1', '-W', '2', 'web'])).status).toBe(0);
    const shown = JSON.parse((await carton(['inspect', 'web'])).stdout)[0].NetworkSettings.Networks;
    expect(Object.keys(shown)).toEqual(['front', 'back']);
    expect(shown.back).toMatchObject({ Interface: 'eth1', Aliases: ['frontend'], IPAddress: inside.eth1.split('/')[0] });
    expect(Object.values((await inspectNet('back')).Containers).map((c) => (c as { Name: string }).Name).sort()).toEqual(['db', 'web']);

    const refused = await carton(['network', 'rm', 'back']);
    expect([refused.status, refused.stderr]).toEqual([1, expect.stringMatching(/network back is in use by container.*web/)]);

    const disconnected = await carton(['network', 'disconnect', 'back', 'web']);
    expect([disconnected.status, disconnected.stderr]).toEqual([0, '']);
    expect(Object.keys(await addressesIn('web'))).toEqual(['lo', 'eth0']);
    expect(names(await hostsOf('db'))).not.toContain('web');
    expect(names(await hostsOf('web'))).not.toContain('db');
    expect(NO_ANSWER).toContain((await fetchIn('web', `http://${dbAddress}:8000/`)).status); // back is another network again
    const backBridge = (await inspectNet('back')).Options['com.docker.network.bridge.name'];
    expect(hostLinks()).not.toMatch(new RegExp(`vc${web.slice(0, 8)}\\d*@\\S+: .* master ${backBridge} `));
    expect(ipamOf('back').map((a) => a.owner)).toEqual([db]);
  });

  it('disconnecting the only network leaves lo alone', async () => {
    const id = (await carton(['run', '-d', '--name', 'lonely', '--network', 'front', 'carton/busybox', 'sleep', '300'])).stdout.trim();
    expect((await carton(['network', 'disconnect', 'front', 'lonely'])).status).toBe(0);
    expect(Object.keys(await addressesIn('lonely'))).toEqual(['lo']);
    expect(ipamOf('front').map((a) => a.owner)).not.toContain(id);
    expect(hostLinks()).not.toContain(`vc${id.slice(0, 8)}`);
    expect(names(await hostsOf('web'))).not.toContain('lonely');
    await carton(['rm', '-f', 'lonely']);
  });

  it('a stopped container connected to a network joins it at its next start, and at each one after', async () => {
    const id = (await carton(['create', '--name', 'later', '--network', 'front', 'carton/busybox', 'sleep', '300'])).stdout.trim();
    expect((await carton(['network', 'connect', 'back', 'later'])).status).toBe(0);
    expect(ipamOf('back').map((a) => a.owner)).not.toContain(id);
    for (let run = 0; run < 2; run++) {
      expect((await carton(['start', 'later'])).status).toBe(0);
      expect(Object.keys(await addressesIn('later'))).toEqual(['lo', 'eth0', 'eth1']);
      expect(names(await hostsOf('later'))).toEqual(expect.arrayContaining(['db', 'web']));
      expect(names(await hostsOf('db'))).toContain('later');
      expect((await carton(['stop', '-t', '0', 'later'])).status).toBe(0);
      expect(ipamOf('back').map((a) => a.owner)).not.toContain(id);
    }
    expect(hostLinks()).not.toContain(`vc${id.slice(0, 8)}`);
    await carton(['rm', '-f', 'later']);
  });

  it('a container killed with its monitor after connect is fully cleaned on the next command', async () => {
    const id = (await carton(['run', '-d', '--name', 'crashy', '--network', 'front', 'carton/busybox', 'sleep', '300'])).stdout.trim();
    expect((await carton(['network', 'connect', 'back', 'crashy'])).status).toBe(0);
    expect(names(await hostsOf('db'))).toContain('crashy');
    expect(hostLinks()).toContain(`vc${id.slice(0, 8)}1`);
    const monitor = JSON.parse((await carton(['inspect', 'crashy'])).stdout)[0].Carton.MonitorPid;
    process.kill(monitor, 'SIGKILL');
    await eventually(async () => ({ status: existsSync(`/proc/${monitor}`) ? 1 : 0, signal: null, stdout: '', stderr: '' }));
    await carton(['ps', '-a']); // crash recovery
    expect(names(await hostsOf('db'))).not.toContain('crashy');
    expect(names(await hostsOf('web'))).not.toContain('crashy');
    expect(ipamOf('back').map((a) => a.owner)).not.toContain(id);
    expect(ipamOf('front').map((a) => a.owner)).not.toContain(id);
    expect(hostLinks()).not.toContain(`vc${id.slice(0, 8)}`);
    await carton(['rm', '-f', 'crashy']);
  });

  it('connect refuses host, none, an unknown network and one the container is already on', async () => {
    const cases: Array<[string, RegExp]> = [
      ['host', /connect container web to network host: host cannot be connected/],
      ['none', /connect container web to network none: none cannot be connected/],
      ['nope', /network nope not found/],
      ['front', /connect container web to network front: it is already connected/],
    ];
    for (const [network, message] of cases) {
      const result = await carton(['network', 'connect', network, 'web']);
      expect([network, result.status, result.stderr]).toEqual([network, 1, expect.stringMatching(message)]);
    }
    const notOn = await carton(['network', 'disconnect', 'back', 'web']);
    expect([notOn.status, notOn.stderr]).toEqual([1, expect.stringMatching(/disconnect container web from network back: it is not connected to it/)]);
  });
});
