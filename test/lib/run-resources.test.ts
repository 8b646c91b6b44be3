// Chapters 04 and 06 in the runtime: cgroup limits, OOM, and the bridge network.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allocations, carton, isRoot, removeAllContainers, stateRows } from '../helpers/index.js';
import { cgroupLayout } from '../../solutions/00-doctor/cgroup-layout.js';

const inspect = async (ref: string) => JSON.parse((await carton(['inspect', ref])).stdout)[0];
const cgroupDirs = (id: string) => execFileSync('find', ['/sys/fs/cgroup', '-maxdepth', '4', '-name', id], { encoding: 'utf8' }).trim();
// Where each v1 controller is mounted (cpu and cpuacct are sometimes one hierarchy, sometimes two).
const layout = cgroupLayout();
const v1 = (controller: string, id: string, file: string) => readFileSync(join(layout.v1[controller], 'carton', id, file), 'utf8').trim();
const hierarchyName = (controller: string) => layout.v1[controller].split('/').pop()!;

describe.skipIf(!isRoot || cgroupLayout().mode === 'v2')('cgroup limits on v1 or hybrid (needs root; on pure v2 the chapter\'s tests cover the v2 files)', () => {
  afterAll(async () => {
    await removeAllContainers();
  });

  it('a container over its memory limit is OOM-killed: exit 137, reported, recorded; the host is unaffected', async () => {
    const result = await carton(['run', '--name', 'hog', '-m', '32m', '--memory-swap', '32m', 'carton/busybox', 'sh', '-c', 'x=$(head -c 100000000 /dev/zero | tr "\\0" a); echo survived']);
    expect(result.status).toBe(137);
    expect(result.stdout).not.toContain('survived');
    expect(result.stderr).toMatch(/was killed by the kernel's OOM killer/);
    const state = await inspect('hog');
    expect(state.State.OOMKilled).toBe(true);
    expect(state.State.ExitCode).toBe(137);
    expect(cgroupDirs(state.Id)).toBe(''); // freed after the exit
    await carton(['rm', 'hog']);
  });

  it('a container whose child is OOM-killed but which exits 0 itself is not reported killed; OOMKilled is true, as Docker', async () => {
    // One process that allocates alone: a pipeline's hog can be killed while its writers
    // still charge the group, and a second OOM kill may then take PID 1 (chapter 04).
    const result = await carton(['run', '--name', 'parent', '-m', '32m', '--memory-swap', '32m', 'carton/busybox', 'sh', '-c', 'dd if=/dev/zero of=/dev/null bs=100M count=1 2>/dev/null; echo parent-lives']);
    expect([result.status, result.stdout]).toEqual([0, 'parent-lives\n']);
    expect(result.stderr).not.toMatch(/^carton: container parent was killed/m);
    const state = await inspect('parent');
    expect([state.State.OOMKilled, state.State.ExitCode]).toEqual([true, 0]);
    await carton(['rm', 'parent']);
  });

  it('--pids-limit 20 stops a container from forking past 20 processes, and says so', async () => {
    const result = await carton(['run', '--rm', '--pids-limit', '20', 'carton/busybox', 'sh', '-c', 'for i in $(seq 50); do sleep 30 & done; ps -o pid | tail -n +2 | wc -l']);
    expect(result.stderr).toMatch(/can't fork/);
    expect(Number(result.stdout.trim())).toBeLessThanOrEqual(20);
  });

  it('while it runs, the container is in carton/<id> of every hierarchy with its limits written, and sees that cgroup as "/"', async () => {
    const id = (await carton(['run', '-d', '-m', '64m', '--cpus', '0.5', '--cpu-shares', '512', '--pids-limit', '30', '--cpuset-cpus', '0', 'carton/busybox', 'sleep', '60'])).stdout.trim();
    const pid = (await inspect(id)).State.Pid;
    const membership = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
    for (const controller of ['memory', 'pids', 'cpu', 'cpuacct', 'cpuset', 'freezer']) expect(membership).toMatch(new RegExp(`:${hierarchyName(controller)}:/carton/${id}$`, 'm'));
    expect(v1('memory', id, 'memory.limit_in_bytes')).toBe(String(64 * 1024 * 1024));
    expect(v1('cpu', id, 'cpu.cfs_quota_us')).toBe('50000');
    expect(v1('cpu', id, 'cpu.cfs_period_us')).toBe('100000');
    expect(v1('cpu', id, 'cpu.shares')).toBe('512');
    expect(v1('pids', id, 'pids.max')).toBe('30');
    expect(v1('cpuset', id, 'cpuset.cpus')).toBe('0');
    // The cgroup namespace: inside, the container's own cgroup is the root.
    const inside = (await carton(['exec', id, 'cat', '/proc/self/cgroup'])).stdout;
    expect(inside).toMatch(/^\d+:memory:\/$/m);
    await carton(['rm', '-f', id]);
    expect(cgroupDirs(id)).toBe('');
  });

  it('--cpus 0.5 holds a CPU-bound container near half a core', async () => {
    const id = (await carton(['run', '-d', '--cpus', '0.5', 'carton/busybox', 'sh', '-c', 'while :; do :; done'])).stdout.trim();
    const usage = () => Number(v1('cpuacct', id, 'cpuacct.usage'));
    const [u0, t0] = [usage(), process.hrtime.bigint()];
    await new Promise((r) => setTimeout(r, 2000));
    const share = (usage() - u0) / Number(process.hrtime.bigint() - t0);
    await carton(['rm', '-f', id]);
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.65);
  });

  it('a bad limit is a clear error before anything is created', async () => {
    const before = (await carton(['ps', '-aq'])).stdout;
    const result = await carton(['run', '--rm', '-m', '12x', 'carton/busybox', 'true']);
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/invalid memory value/);
    expect((await carton(['ps', '-aq'])).stdout).toBe(before);
  });
});

describe.skipIf(!isRoot)('the bridge network (needs root)', () => {
  const outside = `ctout${process.pid % 10000}`;
  afterAll(async () => {
    await removeAllContainers();
    execFileSync('ip', ['netns', 'del', outside], { stdio: 'ignore' });
  });

  it('gives a container eth0 with an address in the subnet and a default route; --network none has only lo', async () => {
    const result = await carton(['run', '--rm', 'carton/busybox', 'sh', '-c', 'ip -o -4 addr show eth0; ip route']);
    // The default network's subnet is chosen on first use, clear of the host's routes, and kept.
    const net = JSON.parse(stateRows<{ record: string }>('SELECT record FROM networks WHERE name = ?', ['bridge'])[0].record);
    const subnetPrefix = (net.subnet as string).split('.').slice(0, 2).join('.');
    expect(result.stdout).toMatch(new RegExp(`eth0\\s+inet ${subnetPrefix.replace('.', '\\.')}\\.\\d+\\.\\d+/16`));
    expect(result.stdout).toMatch(new RegExp(`^default via ${net.gateway.replace(/\./g, '\\.')} dev eth0`, 'm'));
    const none = await carton(['run', '--rm', '--network', 'none', 'carton/busybox', 'ip', '-o', 'link']);
    expect(none.stdout.trim().split('\n').map((l) => l.split(': ')[1])).toEqual(['lo']);
  });

  it('publishes a port: reachable from the host on 127.0.0.1 and from another namespace on the host\'s address', async () => {
    const port = String(20000 + (process.pid % 20000));
    await carton(['run', '-d', '--name', 'web', '-p', `${port}:80`, 'carton/busybox', 'sh', '-c', 'mkdir -p /www && echo hello-from-web > /www/index.html && exec httpd -f -p 80 -h /www']);
    const fromHost = execFileSync('/bin/busybox', ['wget', '-qO-', `http://127.0.0.1:${port}/`], { encoding: 'utf8' });
    expect(fromHost).toBe('hello-from-web\n');
    // "Another host": a namespace of our own, linked to the host by a veth pair.
    execFileSync('sh', ['-c', `ip netns add ${outside} && ip link add ${outside}h type veth peer name ${outside}n && ip link set ${outside}n netns ${outside} && ip addr add 198.51.100.1/30 dev ${outside}h && ip link set ${outside}h up && ip -n ${outside} addr add 198.51.100.2/30 dev ${outside}n && ip -n ${outside} link set ${outside}n up`]);
    const fromOutside = execFileSync('ip', ['netns', 'exec', outside, '/bin/busybox', 'wget', '-qO-', `http://198.51.100.1:${port}/`], { encoding: 'utf8' });
    expect(fromOutside).toBe('hello-from-web\n');
    const taken = await carton(['run', '--rm', '-p', `${port}:80`, 'carton/busybox', 'true']);
    expect(taken.status).toBe(125);
    expect(taken.stderr).toMatch(new RegExp(`${port}`));
    await carton(['rm', '-f', 'web']);
    expect(execFileSync('nft', ['list', 'ruleset'], { encoding: 'utf8' })).not.toMatch(new RegExp(`dport ${port}`));
  });

  it('20 containers started in parallel get 20 distinct addresses, all released afterwards', async () => {
    const runs = await Promise.all(Array.from({ length: 20 }, () => carton(['run', '-d', 'carton/busybox', 'sleep', '60'])));
    const ids = runs.map((r) => r.stdout.trim());
    const addresses = await Promise.all(ids.map(async (id) => (await inspect(id)).Carton.Resources.network.address as string));
    expect(new Set(addresses).size).toBe(20);
    await carton(['rm', '-f', ...ids]);
    const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' });
    for (const id of ids) expect(links).not.toContain(`vc${id.slice(0, 8)}`);
    expect(allocations().filter((a) => ids.includes(a.owner))).toEqual([]);
  }, 120_000);
});

describe.skipIf(!isRoot)('stats, pause, port (needs root)', () => {
  it('stats reads the cgroup; pause freezes every process (its counter stops), unpause resumes it; rm -f works on a paused container', async () => {
    const port = String(21000 + (process.pid % 20000));
    await carton(['run', '-d', '--name', 'busy', '-m', '64m', '-p', `${port}:80`, 'carton/busybox', 'sh', '-c', 'i=0; while :; do i=$((i+1)); echo $i > /tmp/n; done']);
    // Traffic the container sends (a ping of its gateway, the bridge's address) shows in NET I/O.
    const gateway = (await inspect('busy')).NetworkSettings.Gateway;
    expect((await carton(['exec', 'busy', 'ping', '-c', '2', '-s', '1000', gateway])).status).toBe(0);
    const stats = await carton(['stats', '--no-stream', '--format', 'json', 'busy']);
    const row = JSON.parse(stats.stdout.trim());
    expect(Object.keys(row).sort()).toEqual(['BlockIO', 'CPUPerc', 'Container', 'ID', 'MemPerc', 'MemUsage', 'Name', 'NetIO', 'PIDs']); // docker stats' keys
    expect(row.Name).toBe('busy');
    expect(row.MemUsage).toMatch(/ \/ 64\.00MiB$/);
    expect(Number(row.PIDs)).toBeGreaterThanOrEqual(1);
    const [rx, tx] = row.NetIO.split(' / ');
    expect(rx).toMatch(/^\d+(\.\d+)?k?B$/);
    expect(Number(tx.replace(/[kMG]?B$/, '')) * (tx.endsWith('kB') ? 1000 : 1)).toBeGreaterThanOrEqual(2000); // two 1 kB pings at least
    expect(row.BlockIO).toMatch(/^\d+(\.\d+)?[kMG]?B \/ \d+(\.\d+)?[kMG]?B$/);
    const template = await carton(['stats', '--no-stream', '--format', 'table {{.Name}}\t{{.PIDs}}', 'busy']);
    expect(template.stdout).toMatch(/^NAME\s+PIDS\nbusy\s+\d+\n$/);
    expect((await carton(['port', 'busy'])).stdout).toBe(`80/tcp -> 0.0.0.0:${port}\n80/tcp -> [::]:${port}\n`);
    expect((await carton(['ps', '--format', '{{.Ports}}'])).stdout).toContain(`0.0.0.0:${port}->80/tcp`);

    expect((await carton(['pause', 'busy'])).status).toBe(0);
    const pid = (await inspect('busy')).State.Pid;
    expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/^State:\s+[DS]/m); // frozen, not running
    expect((await carton(['ps'])).stdout).toMatch(/\(Paused\).*busy$/m);
    // CPU time (utime+stime in /proc/<pid>/stat) of the busy loop stands still while frozen.
    const ticks = () => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((a, b) => a + Number(b), 0);
    const frozen = ticks();
    await new Promise((r) => setTimeout(r, 300));
    expect(ticks()).toBe(frozen);
    expect((await carton(['exec', 'busy', 'true'])).stderr).toMatch(/is paused/);

    expect((await carton(['unpause', 'busy'])).status).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(ticks()).toBeGreaterThan(frozen);
    await carton(['pause', 'busy']);
    expect((await carton(['rm', '-f', 'busy'])).status).toBe(0);
  });
});
