// Bridge networks are isolated from each other, as Docker's are: a container on one cannot
// open a connection to a container on another, in either direction, while containers on
// the same network reach each other and a published port stays reachable from anywhere.
// The kernel state behind it: each network's forward chain in carton's nft table.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, eventually, isRoot, removeAllContainers } from '../helpers/index.js';
import { inspectNet } from '../helpers/network.js';

const web = (text: string) => ['sh', '-c', `mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p 8000 -h /www`];
const addressOf = async (name: string) => Object.values(JSON.parse((await carton(['inspect', name])).stdout)[0].NetworkSettings.Networks as Record<string, { IPAddress: string }>)[0].IPAddress;

describe.skipIf(!isRoot)('isolation between bridge networks (needs root)', () => {
  afterAll(async () => {
    await removeAllContainers();
    await carton(['network', 'rm', 'iso']);
  });

  it('a container on the default bridge and one on a user network cannot reach each other; on one network they can', async () => {
    expect((await carton(['network', 'create', 'iso'])).status).toBe(0);
    expect((await carton(['run', '-d', '--name', 'on-iso', '--network', 'iso', '-p', '8000', 'carton/busybox', ...web('iso')])).status).toBe(0);
    expect((await carton(['run', '-d', '--name', 'on-bridge', 'carton/busybox', ...web('bridge')])).status).toBe(0);
    const [isoIp, bridgeIp] = [await addressOf('on-iso'), await addressOf('on-bridge')];
    // Not `run … timeout 3 wget`: busybox timeout execs the command in its own process, which
    // would be PID 1, and PID 1 ignores the SIGTERM it is sent. A shell stays PID 1 instead.
    const fetch = (from: string[], address: string, port = 8000) =>
      carton(['run', '--rm', ...from, 'carton/busybox', 'sh', '-c', `timeout 3 wget -qO- http://${address}:${port}/index.html; exit $?`]);
    // Same network: reachable (eventually: httpd may not listen yet).
    expect((await eventually(() => fetch(['--network', 'iso'], isoIp))).stdout).toBe('iso\n');
    expect((await eventually(() => fetch([], bridgeIp))).stdout).toBe('bridge\n');
    // Across networks, either way: the packets are dropped, so wget is ended by timeout
    // (busybox timeout ends it with SIGTERM: 143), not refused or crashed.
    for (const [from, address] of [[[], isoIp], [['--network', 'iso'], bridgeIp]] as const) {
      const result = await fetch([...from], address);
      expect([result.status, result.stdout]).toEqual([143, '']);
    }
    // A published port is for everyone: the default bridge reaches it through the host.
    const port = /:(\d+)$/.exec((await carton(['port', 'on-iso', '8000'])).stdout.trim())![1];
    const gateway = (await inspectNet('bridge')).IPAM.Config[0].Gateway; // an address of the host's
    expect((await fetch([], gateway, Number(port))).stdout).toBe('iso\n');
    // The rules: each network's forward chain drops what leaves its bridge for another carton bridge.
    const table = process.env.CARTON_NFT_TABLE!;
    const ruleset = execFileSync('nft', ['list', 'table', 'ip', table], { encoding: 'utf8' });
    for (const bridge of [(await inspectNet('iso')).Options['com.docker.network.bridge.name'], process.env.CARTON_BRIDGE]) {
      expect(ruleset).toMatch(new RegExp(`chain iso-${bridge} \\{\\n\\s+type filter hook forward priority filter; policy accept;\\n\\s+iifname "${bridge}" oifname != "${bridge}" oifname @bridges ct status ! dnat drop`));
    }
  });

  it('network rm takes its bridge out of the isolation set and removes its chain', async () => {
    await carton(['rm', '-f', 'on-iso']);
    const bridge = (await inspectNet('iso')).Options['com.docker.network.bridge.name'];
    expect((await carton(['network', 'rm', 'iso'])).status).toBe(0);
    const ruleset = execFileSync('nft', ['list', 'table', 'ip', process.env.CARTON_NFT_TABLE!], { encoding: 'utf8' });
    expect(ruleset).not.toContain(bridge);
  });
});
