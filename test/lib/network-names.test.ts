// Chapter 06 in the runtime: user-defined networks through the real CLI. Containers on one
// find each other by name (their /etc/hosts, rewritten in place as others join and leave);
// on the default bridge they do not; `network rm` refuses a network in use and otherwise
// leaves no bridge, veth, nft rule or address behind.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { allocations, carton, changeState, eventually, isRoot, removeAllContainers, stateRows } from '../helpers/index.js';
import { fetchIn, hostsOf, inspectNet, ipamOf, names, NO_ANSWER } from '../helpers/network.js';


const web = ['sh', '-c', 'mkdir -p /www && echo hello-from-a > /www/index.html && exec httpd -f -p 8000 -h /www'];

describe.skipIf(!isRoot)('user-defined networks and names (needs root)', () => {
  afterAll(async () => {
    await removeAllContainers();
    await carton(['network', 'rm', 'app']);
  });

  it('network create makes a network that ls and inspect show; docker\'s aliases work', async () => {
    const created = await carton(['network', 'create', 'app']);
    expect(created.status).toBe(0);
    const id = created.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const ls = (await carton(['network', 'ls'])).stdout.split('\n');
    expect(ls[0]).toMatch(/^NETWORK ID\s+NAME\s+DRIVER\s+SCOPE\s+SUBNET$/);
    const app = await inspectNet('app');
    expect(ls.find((l) => l.includes(' app '))).toMatch(new RegExp(`^${id.slice(0, 12)}\\s+app\\s+bridge\\s+local\\s+${app.IPAM.Config[0].Subnet}$`));
    for (const name of ['bridge', 'host', 'none']) expect(ls.some((l) => l.split(/\s+/)[1] === name)).toBe(true);
    expect((await carton(['network', 'list', '-q'])).stdout).toContain(id.slice(0, 12));
    expect(app).toMatchObject({ Name: 'app', Id: id, Driver: 'bridge', Containers: {}, Options: { 'com.docker.network.bridge.name': `cb-${id.slice(0, 8)}` } });
    expect(execFileSync('ip', ['-o', 'link', 'show', `cb-${id.slice(0, 8)}`], { encoding: 'utf8' })).toContain('UP');
    const again = await carton(['network', 'create', 'app']);
    expect([again.status, again.stderr]).toEqual([1, expect.stringMatching(/network with name app already exists/)]);
    const overlap = await carton(['network', 'create', '--subnet', app.IPAM.Config[0].Subnet, 'app2']);
    expect([overlap.status, overlap.stderr]).toEqual([1, expect.stringMatching(/overlaps network app/)]);
  });

  it('a container reaches another by name, including one started after it; leaving removes the name', async () => {
    expect((await carton(['run', '-d', '--name', 'b', '--network', 'app', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    expect(names(await hostsOf('b'))).not.toContain('a');
    expect((await carton(['run', '-d', '--name', 'a', '--network', 'app', 'carton/busybox', ...web])).status).toBe(0);
    // b was running when a joined: its /etc/hosts (a bind mount) was rewritten in place.
    const fromB = await eventually(() => carton(['exec', 'b', 'wget', '-qO-', 'http://a:8000/index.html']));
    expect(fromB.stdout).toBe('hello-from-a\n');
    const fromNew = await carton(['run', '--rm', '--network', 'app', 'carton/busybox', 'wget', '-qO-', 'http://a:8000/index.html']);
    expect(fromNew.stdout).toBe('hello-from-a\n');
    expect(names(await hostsOf('a'))).toContain('b');
    const app = await inspectNet('app');
    expect(Object.values(app.Containers).map((c) => (c as { Name: string }).Name).sort()).toEqual(['a', 'b']);
    await carton(['rm', '-f', 'a']);
    expect(names(await hostsOf('b'))).not.toContain('a');
    expect(NO_ANSWER).toContain((await fetchIn('b', 'http://a:8000/index.html')).status);
  });

  it('--network-alias gives more names on the network; the default bridge refuses it', async () => {
    expect((await carton(['run', '-d', '--name', 'aliased', '--network', 'app', '--network-alias', 'api', '--network-alias', 'db', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    const ping = await carton(['run', '--rm', '--network', 'app', 'carton/busybox', 'sh', '-c', 'ping -c 1 -W 2 api && ping -c 1 -W 2 db']);
    expect(ping.status).toBe(0);
    expect(names(await hostsOf('aliased'))).toEqual(expect.arrayContaining(['aliased', 'api', 'db']));
    const refused = await carton(['run', '--rm', '--network-alias', 'x', 'carton/busybox', 'true']);
    expect([refused.status, refused.stderr]).toEqual([125, expect.stringMatching(/user-defined networks/)]);
    await carton(['rm', '-f', 'aliased']);
  });

  it('network create --internal: its containers reach each other, and nothing else (no default route, forwarding dropped both ways)', async () => {
    expect((await carton(['network', 'create', '--internal', 'inner'])).status).toBe(0);
    const inner = await inspectNet('inner');
    expect(inner.Internal).toBe(true);
    expect((await carton(['run', '-d', '--name', 'in-a', '--network', 'inner', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    const routes = await carton(['run', '--rm', '--network', 'inner', 'carton/busybox', 'sh', '-c', 'ping -c 1 -W 2 in-a >/dev/null && ip route']);
    expect(routes.status).toBe(0);
    expect(routes.stdout).not.toMatch(/^default/m);
    expect(routes.stdout).toMatch(new RegExp(`^${inner.IPAM.Config[0].Subnet.replace('.', '\\.')} dev eth0`, 'm'));
    const bridge = inner.Options['com.docker.network.bridge.name'];
    const rules = execFileSync('nft', ['list', 'chain', 'ip', process.env.CARTON_NFT_TABLE!, `iso-${bridge}`], { encoding: 'utf8' });
    expect(rules).toContain(`iifname "${bridge}" oifname != "${bridge}" drop`);
    expect(rules).toContain(`oifname "${bridge}" iifname != "${bridge}" drop`);
    const published = await carton(['run', '--rm', '--network', 'inner', '-p', '8080:80', 'carton/busybox', 'true']);
    expect([published.status, published.stderr]).toEqual([125, expect.stringMatching(/internal/)]);
    await carton(['rm', '-f', 'in-a']);
    expect((await carton(['network', 'rm', 'inner'])).status).toBe(0);
    expect(execFileSync('nft', ['list', 'table', 'ip', process.env.CARTON_NFT_TABLE!], { encoding: 'utf8' })).not.toContain(bridge);
  });

  it('run --ip takes a chosen address; network create --ip-range gives the others from a sub-range', async () => {
    expect((await carton(['network', 'create', '--subnet', '10.177.0.0/24', '--ip-range', '10.177.0.128/25', 'ranged'])).status).toBe(0);
    expect((await inspectNet('ranged')).IPAM.Config[0]).toEqual({ Subnet: '10.177.0.0/24', Gateway: '10.177.0.1', IPRange: '10.177.0.128/25' });
    const addressOf = async (name: string) => (await carton(['exec', name, 'ip', '-o', '-4', 'addr', 'show', 'eth0'])).stdout.split(/\s+/)[3];
    expect((await carton(['run', '-d', '--name', 'fixed', '--network', 'ranged', '--ip', '10.177.0.10', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    expect(await addressOf('fixed')).toBe('10.177.0.10/24');
    expect((await carton(['run', '-d', '--name', 'auto', '--network', 'ranged', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    const auto = (await addressOf('auto')).split('/')[0];
    expect(Number(auto.split('.')[3])).toBeGreaterThanOrEqual(128);
    const taken = await carton(['run', '--rm', '--network', 'ranged', '--ip', '10.177.0.10', 'carton/busybox', 'true']);
    expect([taken.status, taken.stderr]).toEqual([125, expect.stringMatching(/10\.177\.0\.10 is already in use/)]);
    for (const [args, error] of [[['--ip', '10.177.0.10'], /user defined networks only/], [['--network', 'ranged', '--ip', '10.99.0.5'], /not a host address of network ranged/], [['--network', 'ranged', '--ip', '10.177.0.1'], /gateway/]] as const) {
      const r = await carton(['run', '--rm', ...args, 'carton/busybox', 'true']);
      expect([r.status, r.stderr]).toEqual([125, expect.stringMatching(error)]);
    }
    expect((await carton(['network', 'create', '--subnet', '10.178.0.0/24', '--ip-range', '10.179.0.0/25', 'outside'])).status).toBe(1);
    await carton(['rm', '-f', 'fixed', 'auto']);
    expect((await carton(['network', 'rm', 'ranged'])).status).toBe(0);
  });

  it('rename changes the name other containers resolve', async () => {
    expect((await carton(['run', '-d', '--name', 'old-name', '--network', 'app', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    expect((await carton(['run', '-d', '--name', 'watcher', '--network', 'app', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    expect(names(await hostsOf('watcher'))).toContain('old-name');
    expect((await carton(['rename', 'old-name', 'new-name'])).status).toBe(0);
    const seen = names(await hostsOf('watcher'));
    expect(seen).toContain('new-name');
    expect(seen).not.toContain('old-name');
    expect((await carton(['exec', 'watcher', 'ping', '-c', '1', '-W', '2', 'new-name'])).status).toBe(0);
    // The record and the network's names change in one transaction: when the network part
    // fails (its record unreadable), the container keeps its old name everywhere.
    const [saved] = stateRows<{ record: string }>('SELECT record FROM networks WHERE name = ?', ['app']);
    changeState('UPDATE networks SET record = ? WHERE name = ?', ['{"trunc', 'app']);
    try {
      const failed = await carton(['rename', 'new-name', 'third-name']);
      expect([failed.status, failed.stderr]).toEqual([1, expect.stringMatching(/^carton: network app: its record in .* is corrupt/)]);
    } finally {
      changeState('UPDATE networks SET record = ? WHERE name = ?', [saved.record, 'app']);
    }
    expect((await carton(['ps', '-a', '--format', '{{.Names}}'])).stdout.split('\n')).toContain('new-name');
    expect(stateRows<{ names: string }>('SELECT names FROM allocations WHERE network = ?', ['app']).map((a) => a.names).join()).not.toContain('third-name');
    await carton(['rm', '-f', 'new-name', 'watcher']);
  });

  it('a restarted container keeps its address and its MAC (02:42 and the address, as Docker), so others reach it at once', async () => {
    expect((await carton(['run', '-d', '--name', 'server', '--network', 'app', 'carton/busybox', ...web])).status).toBe(0);
    expect((await carton(['run', '-d', '--name', 'client', '--network', 'app', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    const fetch = () => fetchIn('client', 'http://server:8000/index.html');
    expect((await eventually(fetch)).stdout).toBe('hello-from-a\n'); // client's neighbour table now holds server's MAC
    const link = async () => {
      const pid = JSON.parse((await carton(['inspect', 'server'])).stdout)[0].State.Pid;
      const line = execFileSync('nsenter', ['-t', String(pid), '-n', 'ip', '-o', '-4', 'addr', 'show', 'eth0'], { encoding: 'utf8' });
      const mac = execFileSync('nsenter', ['-t', String(pid), '-n', 'ip', '-o', 'link', 'show', 'eth0'], { encoding: 'utf8' });
      return { address: /inet (\S+)\//.exec(line)![1], mac: /link\/ether (\S+)/.exec(mac)![1] };
    };
    const before = await link();
    expect(before.mac).toBe(`02:42:${before.address.split('.').map((b) => Number(b).toString(16).padStart(2, '0')).join(':')}`);
    expect((await carton(['restart', '-t', '0', 'server'])).status).toBe(0);
    expect(await link()).toEqual(before);
    // Once httpd listens again (asked from inside server), client's first try answers: no
    // waiting for its neighbour entry of server to go stale.
    await eventually(() => fetchIn('server', 'http://127.0.0.1:8000/index.html'));
    const after = await fetch();
    expect([after.status, after.stdout]).toEqual([0, 'hello-from-a\n']);
    await carton(['rm', '-f', 'server', 'client']);
  }, 60_000);

  it('eth0 of a container on app is in app\'s subnet, with the default route via app\'s gateway', async () => {
    const app = await inspectNet('app');
    const { Subnet: subnet, Gateway: gateway } = app.IPAM.Config[0];
    const result = await carton(['run', '--rm', '--network', 'app', 'carton/busybox', 'sh', '-c', 'ip -o -4 addr show eth0; ip route']);
    const address = /eth0\s+inet (\d+\.\d+\.\d+\.\d+)\/(\d+)/.exec(result.stdout);
    expect(address?.[2]).toBe(subnet.split('/')[1]);
    const { contains } = await import('../../solutions/06-networking/addr.js');
    expect(contains(subnet, address![1])).toBe(true);
    expect(result.stdout).toMatch(new RegExp(`^default via ${gateway.replace(/\./g, '\\.')} dev eth0`, 'm'));
  });

  it('containers joining at once all end up in each other\'s /etc/hosts (rewrites hold the network\'s lock)', async () => {
    const many = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
    const runs = await Promise.all(many.map((n) => carton(['run', '-d', '--name', n, '--network', 'app', 'carton/busybox', 'sleep', '120'])));
    expect(runs.map((r) => r.status)).toEqual(many.map(() => 0));
    for (const n of many) expect(names(await hostsOf(n))).toEqual(expect.arrayContaining([...many, 'b']));
    await carton(['rm', '-f', ...many]);
    expect(names(await hostsOf('b')).filter((n) => many.includes(n))).toEqual([]);
  }, 60_000);

  it('a container whose carton was killed is cleaned up by crash recovery: veth, address, and its name elsewhere', async () => {
    const id = (await carton(['run', '-d', '--name', 'crashy', '--network', 'app', 'carton/busybox', 'sleep', '120'])).stdout.trim();
    expect(names(await hostsOf('b'))).toContain('crashy');
    const monitor = JSON.parse((await carton(['inspect', 'crashy'])).stdout)[0].Carton.MonitorPid;
    process.kill(monitor, 'SIGKILL');
    await eventually(async () => ({ status: existsSync(`/proc/${monitor}`) ? 1 : 0, signal: null, stdout: '', stderr: '' }));
    await carton(['ps', '-a']); // crash recovery
    expect(names(await hostsOf('b'))).not.toContain('crashy');
    expect(ipamOf('app').map((a) => a.owner)).not.toContain(id);
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).not.toContain(`vc${id.slice(0, 8)}`);
    await carton(['rm', '-f', 'crashy']);
  });

  it('the default bridge network resolves no names, as in Docker', async () => {
    expect((await carton(['run', '-d', '--name', 'plain', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    const hosts = (await carton(['run', '--rm', '--hostname', 'other', 'carton/busybox', 'cat', '/etc/hosts'])).stdout;
    expect(names(hosts)).toEqual(expect.arrayContaining(['other']));
    expect(names(hosts)).not.toContain('plain');
    await carton(['rm', '-f', 'plain']);
  });

  it('an unknown network is an error before anything is created', async () => {
    const before = (await carton(['ps', '-aq'])).stdout;
    const result = await carton(['run', '--rm', '--network', 'nope', 'carton/busybox', 'true']);
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/network nope not found/);
    expect((await carton(['ps', '-aq'])).stdout).toBe(before);
  });

  it('run --rm that fails while joining its network (125) leaves no container, foreground or -d', async () => {
    expect((await carton(['network', 'create', '--subnet', '10.199.0.0/30', 'tiny'])).status).toBe(0);
    const only = (await carton(['run', '-d', '--network', 'tiny', 'carton/busybox', 'sleep', '120'])).stdout.trim(); // the one free address
    const before = (await carton(['ps', '-aq', '--no-trunc'])).stdout;
    for (const detach of [[], ['-d']]) {
      const failed = await carton(['run', '--rm', ...detach, '--network', 'tiny', 'carton/busybox', 'true']);
      expect([failed.status, failed.stderr]).toEqual([125, expect.stringMatching(/network tiny .* is full/)]);
      expect((await carton(['ps', '-aq', '--no-trunc'])).stdout).toBe(before);
    }
    expect(ipamOf('tiny').map((a) => a.owner)).toEqual([only]);
    await carton(['rm', '-f', only]);
    expect((await carton(['network', 'rm', 'tiny'])).status).toBe(0);
  });

  it('network rm refuses a network in use, naming the containers; once they are gone it leaves nothing', async () => {
    const app = await inspectNet('app');
    const bridge = app.Options['com.docker.network.bridge.name'];
    const refused = await carton(['network', 'rm', 'app']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/network app is in use by container b/);
    expect((await carton(['network', 'rm', 'bridge'])).stderr).toMatch(/bridge is a pre-defined network and cannot be removed/);
    await carton(['rm', '-f', 'b']);
    const removed = await carton(['network', 'remove', 'app']);
    expect([removed.status, removed.stdout]).toEqual([0, 'app\n']);
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).not.toMatch(new RegExp(`${bridge}|master ${bridge}`));
    const ruleset = execFileSync('nft', ['list', 'ruleset'], { encoding: 'utf8' });
    expect(ruleset).not.toContain(`post-${bridge}`);
    expect(ruleset).not.toContain('"net:app"');
    expect(allocations().filter((a) => a.network === 'app')).toEqual([]);
    expect(stateRows('SELECT name FROM networks WHERE name = ?', ['app'])).toEqual([]);
    expect((await carton(['network', 'ls'])).stdout).not.toMatch(/ app /);
  });
});
