// The chapter's network, for real: a test bridge, two "containers" (processes in fresh
// network namespaces), an "outside world" namespace linked to the host by its own veth pair,
// NAT out, published ports, and a check that nothing is left behind.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as n from '@impl/06-networking/index.js';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';
import { askWho, inNs, ipJson, startNetns, startWhoAmI, stopAll, suffix, tryTo } from './netns.js';

const s = suffix();
const routes = (JSON.parse(execFileSync('ip', ['-j', 'route'], { encoding: 'utf8' })) as Array<{ dst: string }>).map((r) => r.dst);
const subnet = n.pickSubnet(routes, `10.${200 + (parseInt(s, 16) % 50)}.${parseInt(s, 16) % 250}.0/24`);
const net: n.NetworkConfig = { name: `ctest${s}`, bridge: `ctb${s}`, subnet, gateway: n.gatewayOf(subnet), table: `ctest_${s}` };
// The outside world: a namespace reached through a /30 of the documentation range TEST-NET-2.
const quad = 4 * (parseInt(s, 16) % 63);
const outside = { ns: `cto${s}`, host: `cho${s}`, peer: `cno${s}`, hostIp: `198.51.100.${quad + 1}`, ip: `198.51.100.${quad + 2}` };
const outsidePath = `/run/netns/${outside.ns}`;
const ids = [`a${s}00`, `b${s}00`];
const forward = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();

describe.skipIf(!isRoot)('bridge networking (real kernel)', () => {
  const state = tempDir('carton-ipam-');
  const ipam = new n.Ipam(state);
  const pids: number[] = [];
  const addrs: string[] = [];

  beforeAll(async () => {
    n.ensureBridge(net);
    n.ensureBridge(net); // idempotent
    for (const [i, id] of ids.entries()) {
      pids.push(await startNetns());
      addrs.push(ipam.allocate(net.name, net.subnet, id, [`c${i}`]));
      n.attach({ net, pid: pids[i], id, address: addrs[i] });
    }
    execFileSync('ip', ['netns', 'add', outside.ns]);
    execFileSync('ip', ['link', 'add', outside.host, 'type', 'veth', 'peer', 'name', outside.peer, 'netns', outside.ns]);
    execFileSync('ip', ['addr', 'add', `${outside.hostIp}/30`, 'dev', outside.host]);
    execFileSync('ip', ['link', 'set', outside.host, 'up']);
    inNs(outsidePath, ['ip', 'addr', 'add', `${outside.ip}/30`, 'dev', outside.peer]);
    inNs(outsidePath, ['ip', 'link', 'set', outside.peer, 'up']);
  });

  afterAll(() => {
    stopAll();
    for (const id of ids) tryTo(() => n.detach({ net, id }));
    tryTo(() => n.removeBridge(net));
    tryTo(() => execFileSync('ip', ['link', 'del', outside.host], { stdio: 'ignore' }));
    tryTo(() => execFileSync('ip', ['netns', 'del', outside.ns], { stdio: 'ignore' }));
    tryTo(() => execFileSync('nft', ['delete', 'table', 'ip', net.table], { stdio: 'ignore' }));
    tryTo(() => execFileSync('ip', ['link', 'del', net.bridge], { stdio: 'ignore' }));
    writeFileSync('/proc/sys/net/ipv4/ip_forward', forward);
    removeDir(state);
  });

  it('gives each container an eth0 with its address and a default route via the gateway', () => {
    for (const [i, pid] of pids.entries()) {
      const [eth0] = ipJson<Array<{ operstate: string; addr_info: Array<{ family: string; local: string }> }>>(pid, ['addr', 'show', 'eth0']);
      expect(eth0.addr_info.filter((a) => a.family === 'inet').map((a) => a.local)).toEqual([addrs[i]]);
      expect(n.contains(net.subnet, addrs[i])).toBe(true);
      const defaults = ipJson<Array<{ dst: string; gateway?: string }>>(pid, ['route', 'show', 'default']);
      expect(defaults).toEqual([expect.objectContaining({ dst: 'default', gateway: net.gateway })]);
      const lo = ipJson<Array<{ flags: string[] }>>(pid, ['link', 'show', 'lo']);
      expect(lo[0].flags).toContain('UP');
    }
    expect(addrs[0]).not.toBe(addrs[1]);
  });

  it('lets the containers ping each other and the gateway', () => {
    expect(() => inNs(pids[0], ['/bin/busybox', 'ping', '-c1', '-W2', addrs[1]])).not.toThrow();
    expect(() => inNs(pids[1], ['/bin/busybox', 'ping', '-c1', '-W2', addrs[0]])).not.toThrow();
    expect(() => inNs(pids[0], ['/bin/busybox', 'ping', '-c1', '-W2', net.gateway])).not.toThrow();
  });

  it('masquerades: a server outside sees the host address, not the container address', async () => {
    await startWhoAmI(outsidePath, 7000);
    expect(await askWho(pids[0], outside.ip, 7000)).toBe(outside.hostIp);
  });

  it('publishes a port on 127.0.0.1 and on the host address seen from another namespace', async () => {
    await startWhoAmI(pids[0], 80);
    const [mapping] = await n.publish({ net, id: ids[0], address: addrs[0], ports: n.parsePublish('80') });
    expect(mapping.hostPort).toBeGreaterThan(0);
    // From the host on loopback: masqueraded to the bridge's address so the container can answer.
    expect(await askWho(null, '127.0.0.1', mapping.hostPort)).toBe(net.gateway);
    // From another machine (the outside namespace) through the host's address: no NAT on the source.
    expect(await askWho(outsidePath, outside.hostIp, mapping.hostPort)).toBe(outside.ip);
  });

  it('refuses a host port that is taken, before creating anything', async () => {
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const before = n.listRules(net.table).length;
    try {
      await expect(n.publish({ net, id: ids[1], address: addrs[1], ports: n.parsePublish(`${port}:80`) }))
        .rejects.toThrow(expect.objectContaining({ name: 'NetworkError', message: expect.stringContaining('EADDRINUSE'), hint: expect.stringContaining(String(port)) }));
    } finally {
      server.close();
    }
    expect(n.listRules(net.table).length).toBe(before);
    const [taken] = n.listRules(net.table).filter((r) => r.comment === `ctr:${ids[0]}`);
    expect(taken).toBeDefined();
  });

  it('refuses a host port another container publishes', async () => {
    const [mine] = await n.publish({ net, id: ids[0], address: addrs[0], ports: n.parsePublish('81') });
    await expect(n.publish({ net, id: ids[1], address: addrs[1], ports: [{ ...mine, containerPort: 80 }] }))
      .rejects.toThrow(/already published/);
  });

  it('names the command and the object when attach fails, and removes its half-made veth', () => {
    const id = `e${s}00`;
    let error: unknown;
    try {
      n.attach({ net, pid: 999_999_999, id, address: addrs[0] });
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ name: 'NetworkError', message: expect.stringMatching(/^ip link add vce\w+ .*netns 999999999 \(`vce\w+`\): ESRCH/), hint: expect.any(String) });
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).not.toContain(`vce${s}`);
  });

  it('connect does it all for a third container, with a name for /etc/hosts; disconnect undoes it', async () => {
    const id = `d${s}00`;
    const pid = await startNetns();
    const c = await n.connect({ net, ipam, id, pid, names: ['third'], ports: [{ hostPort: 0, containerPort: 82, protocol: 'tcp' }] });
    expect(c.ports[0].hostPort).toBeGreaterThan(0);
    expect(n.hostsFile(ipam.list(net.name))).toContain(`${c.address}\tthird`);
    expect(() => inNs(pid, ['/bin/busybox', 'ping', '-c1', '-W2', addrs[0]])).not.toThrow();
    n.disconnect({ net, ipam, id });
    n.disconnect({ net, ipam, id });
    expect(ipam.list(net.name).map((a) => a.owner)).not.toContain(id);
    expect(n.listRules(net.table).filter((r) => r.comment === `ctr:${id}`)).toEqual([]);
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).not.toContain(`vcd${s}`);
  });

  it('connect undoes everything when a port is taken', async () => {
    const id = `f${s}00`;
    const pid = await startNetns();
    const [taken] = n.listRules(net.table).filter((r) => r.chain === 'output' && r.comment === `ctr:${ids[0]}`);
    expect(taken).toBeDefined();
    const port = Number(/"right":(\d+)/.exec(taken.text)![1]);
    await expect(n.connect({ net, ipam, id, pid, ports: [{ hostPort: port, containerPort: 80, protocol: 'tcp' }] })).rejects.toThrow(/already published/);
    expect(ipam.list(net.name).map((a) => a.owner)).not.toContain(id);
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).not.toContain(`vcf${s}`);
  });

  it('detach and removeBridge leave no interface, no rule, no table and no address behind', () => {
    for (const id of ids) {
      n.detach({ net, id });
      n.detach({ net, id }); // idempotent
      ipam.release(net.name, id);
    }
    expect(n.listRules(net.table).filter((r) => r.comment?.startsWith('ctr:'))).toEqual([]);
    n.removeBridge(net);
    n.removeBridge(net);
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).not.toMatch(new RegExp(`ctb${s}|vc[ab]${s}`));
    expect(execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' })).not.toContain(net.table);
    expect(ipam.list(net.name)).toEqual([]);
  });
});
