// attach: a container joined to a bridge, checked on the kernel's state from outside: the host
// end of the veth in the bridge and up, the container's end renamed, addressed, with its MAC
// and routes, in the container's network namespace; nothing left after a failure.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attach } from '@impl/06-networking/attach.js';
import { vethNames } from '../../solutions/06-networking/names.js';
import { macAddressOf, vethNamesAt } from '../../solutions/06-networking/veth.js';
import { isRoot } from '../helpers/index.js';
import { ipJson, startNetns, stopAll, suffix, tryTo } from './netns.js';

interface Link { ifname: string; master?: string; flags: string[]; address: string; addr_info?: { family: string; local: string; prefixlen: number }[] }
interface Route { dst: string; gateway?: string; dev: string }

const hostLink = (name: string): Link | undefined => {
  try {
    return (JSON.parse(execFileSync('ip', ['-j', 'link', 'show', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Link[])[0];
  } catch {
    return undefined;
  }
};

describe.skipIf(!isRoot)('attach (needs root)', () => {
  const tag = suffix();
  const bridges = [`cbt${tag}`, `cbu${tag}`];
  const net = (bridge: string, third: number, internal = false) => ({ name: `t${tag}`, bridge, subnet: `10.${200 + third}.7.0/24`, gateway: `10.${200 + third}.7.1`, table: `t${tag}`, internal });
  beforeAll(() => {
    for (const b of bridges) {
      execFileSync('ip', ['link', 'add', b, 'type', 'bridge']);
      execFileSync('ip', ['link', 'set', b, 'up']);
    }
  });
  afterAll(() => {
    stopAll();
    for (const b of bridges) tryTo(() => execFileSync('ip', ['link', 'del', b]));
  });

  it('plugs eth0 into the bridge with its address, MAC and default route, then eth1 without a second default route', async () => {
    const pid = await startNetns();
    const id = randomBytes(32).toString('hex');
    const first = net(bridges[0], 1);
    attach({ net: first, pid, id, address: '10.201.7.5' }, vethNames);
    const host = hostLink(vethNamesAt(id, 0).host)!;
    expect(host.master).toBe(bridges[0]);
    expect(host.flags).toContain('UP');
    const [lo] = ipJson<Link[]>(pid, ['addr', 'show', 'lo']);
    expect(lo.flags).toContain('UP');
    const [eth0] = ipJson<Link[]>(pid, ['addr', 'show', 'eth0']);
    expect(eth0.flags).toContain('UP');
    expect(eth0.address).toBe(macAddressOf('10.201.7.5'));
    expect(eth0.addr_info!.filter((a) => a.family === 'inet')).toEqual([expect.objectContaining({ local: '10.201.7.5', prefixlen: 24 })]);
    expect(ipJson<Route[]>(pid, ['route', 'show', 'default'])).toEqual([expect.objectContaining({ dst: 'default', gateway: '10.201.7.1', dev: 'eth0' })]);

    attach({ net: net(bridges[1], 2), pid, id, address: '10.202.7.9', index: 1 }, vethNames);
    expect(hostLink(vethNamesAt(id, 1).host)!.master).toBe(bridges[1]);
    const [eth1] = ipJson<Link[]>(pid, ['addr', 'show', 'eth1']);
    expect(eth1.addr_info!.find((a) => a.family === 'inet')!.local).toBe('10.202.7.9');
    expect(ipJson<Route[]>(pid, ['route', 'show', 'default'])).toHaveLength(1); // still only eth0's
    expect(ipJson<Route[]>(pid, ['route', 'show', '10.202.7.0/24'])).toEqual([expect.objectContaining({ dev: 'eth1' })]);
  });

  it('gives an internal network no default route', async () => {
    const pid = await startNetns();
    attach({ net: net(bridges[0], 1, true), pid, id: randomBytes(32).toString('hex'), address: '10.201.7.6' }, vethNames);
    expect(ipJson<Route[]>(pid, ['route', 'show', 'default'])).toEqual([]);
  });

  it('fails on a bridge that does not exist, and leaves no veth on the host', async () => {
    const pid = await startNetns();
    const id = randomBytes(32).toString('hex');
    expect(() => attach({ net: net(`cbx${tag}`, 3), pid, id, address: '10.203.7.5' }, vethNames)).toThrow();
    expect(hostLink(vethNamesAt(id, 0).host)).toBeUndefined();
  });
});
