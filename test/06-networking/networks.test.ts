// User-defined networks for real: each gets a bridge named after its id, a subnet clear of
// the host's routes and of the other networks, its masquerade chain; `remove` refuses a
// network in use and otherwise leaves nothing behind.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import * as n from '@impl/06-networking/index.js';
import { changeState, isRoot, removeDir, stateRows, tempDir } from '../helpers/index.js';
import { suffix, tryTo } from './netns.js';

const s = suffix();
const table = `ctnet_${s}`;
const forward = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
const links = () => execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' });
const ruleset = () => execFileSync('nft', ['list', 'ruleset'], { encoding: 'utf8' });

describe.skipIf(!isRoot)('Networks: the registry of user-defined networks (real kernel)', () => {
  const dir = tempDir('carton-networks-');
  const networks = new n.Networks(dir, table);
  const made: n.NetworkRecord[] = [];

  afterAll(() => {
    for (const net of made) tryTo(() => n.removeBridge(net));
    tryTo(() => execFileSync('nft', ['delete', 'table', 'ip', table], { stdio: 'ignore' }));
    writeFileSync('/proc/sys/net/ipv4/ip_forward', forward);
    removeDir(dir);
  });

  it('creates a network: a record, a bridge cb-<id> holding the gateway, a masquerade chain', () => {
    const net = networks.create(`app${s}`);
    made.push(net);
    expect(net).toMatchObject({ name: `app${s}`, driver: 'bridge', table, bridge: `cb-${net.id.slice(0, 8)}` });
    expect(net.id).toMatch(/^[0-9a-f]{64}$/);
    expect(net.gateway).toBe(n.gatewayOf(net.subnet));
    const [bridge] = JSON.parse(execFileSync('ip', ['-j', 'addr', 'show', 'dev', net.bridge], { encoding: 'utf8' })) as Array<{ addr_info: Array<{ local: string }> }>;
    expect(bridge.addr_info.map((a) => a.local)).toContain(net.gateway);
    expect(execFileSync('nft', ['list', 'chain', 'ip', table, `post-${net.bridge}`], { encoding: 'utf8' })).toContain(`comment "net:${net.name}"`);
    expect(networks.get(net.name)).toEqual(net);
    expect(networks.get(net.id.slice(0, 6))).toEqual(net);
  });

  it('gives the next network a subnet that overlaps neither the first nor any host route', () => {
    const net = networks.create(`db${s}`);
    made.push(net);
    expect(n.overlaps(net.subnet, made[0].subnet)).toBe(false);
    const routes = n.hostRoutes().filter((r) => r !== net.subnet); // its own bridge's route is there now
    expect(routes.filter((r) => n.overlaps(net.subnet, r))).toEqual([]);
    expect(networks.list().map((x) => x.name)).toEqual([`app${s}`, `db${s}`].sort());
  });

  it('takes a subnet and a gateway given by the user; the gateway is never given to a container', () => {
    const free = n.pickSubnet([...n.hostRoutes(), ...networks.list().map((x) => x.subnet)], '10.200.0.0/16');
    const subnet = `${free.split('.').slice(0, 2).join('.')}.8.0/29`;
    const gateway = subnet.replace('.8.0/29', '.8.2');
    const net = networks.create(`gw${s}`, { subnet, gateway });
    made.push(net);
    expect(net).toMatchObject({ subnet, gateway });
    const ipam = new n.Ipam(dir);
    expect(ipam.allocate(net.name, net.subnet, 'c1', [], [net.gateway])).toBe(subnet.replace('.8.0/29', '.8.3'));
    ipam.release(net.name, 'c1');
  });

  it('refuses clashes and bad input, each with a message naming the object and a hint', () => {
    const cases: Array<[() => unknown, RegExp]> = [
      [() => networks.create(`app${s}`), /network with name app\w+ already exists/],
      [() => networks.create(`other${s}`, { subnet: made[0].subnet }), new RegExp(`overlaps network app${s}`)],
      [() => networks.create(`other${s}`, { subnet: made[0].subnet.replace('/16', '/24') }), /overlaps network/],
      [() => networks.create(`other${s}`, { subnet: '10.201.3.4/16' }), /not the first address/],
      [() => networks.create(`other${s}`, { subnet: '10.202.0.0/24', gateway: '10.203.0.1' }), /not a host address of 10\.202\.0\.0\/24/],
      [() => networks.create(`other${s}`, { subnet: '10.202.0.0/24', gateway: '10.202.0.255' }), /not a host address/],
      [() => networks.create('bridge'), /pre-defined network/],
      [() => networks.create('-bad'), /invalid network name/],
      [() => networks.remove('host', () => []), /pre-defined network and cannot be removed/],
      [() => networks.remove(`nope${s}`, () => []), /network nope\w+ not found/],
    ];
    for (const [act, message] of cases) {
      expect(act).toThrow(expect.objectContaining({ name: 'NetworkError', message: expect.stringMatching(message) }));
    }
    expect(networks.list().map((x) => x.name)).not.toContain(`other${s}`);
  });

  it('refuses to remove a network in use, naming the containers; then removes all of it', () => {
    const [net] = made;
    const ipam = new n.Ipam(dir);
    ipam.allocate(net.name, net.subnet, 'someone', ['web']);
    expect(() => networks.remove(net.name, () => ['web', 'db'])).toThrow(expect.objectContaining({
      message: `network ${net.name} is in use by containers web, db`, hint: expect.stringContaining('carton rm -f web db'),
    }));
    expect(links()).toContain(net.bridge);
    for (const x of made) networks.remove(x.name, () => []);
    expect(links()).not.toMatch(new RegExp(made.map((x) => x.bridge).join('|')));
    expect(ruleset()).not.toContain(table);
    expect(ipam.list(net.name)).toEqual([]);
    expect(stateRows('SELECT network FROM allocations', [], dir)).toEqual([]);
    expect(networks.list()).toEqual([]);
  });

  it('a network whose record is broken is listed with its problem, refused by name, and removed with its bridge', () => {
    const net = networks.create(`bad${s}`);
    made.push(net);
    changeState('UPDATE networks SET record = ? WHERE name = ?', ['{"name": "bad', net.name], dir); // as a bad disk or a hand edit might leave it
    expect(networks.list().map((x) => x.name)).not.toContain(net.name);
    expect(networks.broken()).toEqual([{ name: net.name, id: net.id, bridge: net.bridge, problem: expect.stringMatching(/its record in .*state\.db is corrupt/) }]);
    expect(() => networks.get(net.name)).toThrow(expect.objectContaining({ hint: expect.stringContaining(`carton network rm ${net.name}`) }));
    expect(links()).toContain(net.bridge);
    networks.remove(net.name, () => []);
    expect(links()).not.toContain(net.bridge);
    expect(networks.broken()).toEqual([]);
    expect(stateRows('SELECT name FROM networks', [], dir)).toEqual([]);
  });
});
