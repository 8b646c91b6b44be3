// Docker's habits (#17): --net for --network, management commands alone, exec -d, inspect's
// fields as Docker names them, volume prune.
import { cpus, hostname, release } from 'node:os';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, eventually, isRoot, removeAllContainers } from '../helpers/index.js';
import { inspectNet } from '../helpers/network.js';

const inspect = async (name: string) => JSON.parse((await carton(['inspect', name])).stdout)[0];

describe('management commands alone list their sub-commands, as docker volume does', () => {
  it('volume, network, container, image, system, builder', async () => {
    for (const [group, expected] of [['volume', ['create', 'inspect', 'ls', 'prune', 'rm']], ['network', ['connect', 'create', 'disconnect', 'inspect', 'ls', 'prune', 'rm']], ['container', ['cp', 'ls', 'prune', 'rm', 'run']], ['image', ['build', 'inspect', 'ls', 'prune', 'pull', 'push']], ['system', ['df', 'prune']], ['builder', ['prune']]] as const) {
      const result = await carton([group]);
      expect(result.status, group).toBe(0);
      expect(result.stdout, group).toMatch(new RegExp(`^Usage:  carton ${group} COMMAND\\n`));
      const listed = result.stdout.split('Commands:\n')[1].split('\n\n')[0].split('\n').map((l) => l.trim().split(/\s+/)[0]);
      expect(listed, group).toEqual(expect.arrayContaining([...expected]));
    }
  });
});

describe.skipIf(!isRoot)('Docker habits in the runtime (needs root)', () => {
  afterAll(async () => {
    await removeAllContainers();
    await carton(['volume', 'rm', 'kept', 'unused']);
  });

  it('images --filter: reference (a glob, with or without the tag), label, dangling; an unknown key is an error', async () => {
    expect((await carton(['tag', 'carton/busybox', 'habits/one:v1'])).status).toBe(0);
    expect((await carton(['tag', 'carton/busybox', 'habits/two:v2'])).status).toBe(0);
    const refs = async (...filters: string[]) => (await carton(['images', ...filters.flatMap((f) => ['--filter', f]), '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n').filter(Boolean).sort();
    expect(await refs('reference=habits/*')).toEqual(['habits/one:v1', 'habits/two:v2']);
    expect(await refs('reference=habits/*:v2')).toEqual(['habits/two:v2']);
    expect(await refs('reference=habits/t?o')).toEqual(['habits/two:v2']);
    expect(await refs('reference=habits/*', 'label=no.such.label')).toEqual([]);
    expect(await refs('dangling=true', 'reference=habits/*')).toEqual([]);
    expect(await refs('dangling=false', 'reference=habits/one')).toEqual(['habits/one:v1']);
    const bad = await carton(['images', '--filter', 'colour=red']);
    expect([bad.status, bad.stderr]).toEqual([1, expect.stringMatching(/invalid filter/)]);
    await carton(['rmi', 'habits/one:v1', 'habits/two:v2']);
  });

  it('every inspect takes -f; version and system df take templates; volume create needs no name; ps -s; an exited container shows no PORTS', async () => {
    expect((await carton(['image', 'inspect', '-f', '{{.RepoTags}}', 'carton/busybox'])).stdout).toBe('[carton/busybox:latest]\n');
    expect((await carton(['network', 'inspect', '-f', '{{.Name}} {{.Driver}}', 'bridge'])).stdout).toBe('bridge bridge\n');
    const named = (await carton(['volume', 'create'])).stdout.trim();
    expect(named).toMatch(/^[0-9a-f]{64}$/);
    expect((await carton(['volume', 'inspect', '--format', '{{.Name}} {{.Driver}}', named])).stdout).toBe(`${named} local\n`);
    expect((await carton(['volume', 'rm', named])).status).toBe(0);
    expect((await carton(['version', '--format', '{{.Client.Version}}'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect((await carton(['system', 'df', '--format', 'table {{.Type}}\t{{.TotalCount}}'])).stdout).toMatch(/^TYPE\s+TOTAL\nImages\s+\d+\nContainers\s+\d+\n/);
    expect((await carton(['run', '--name', 'sized', '--network', 'none', 'carton/busybox', 'sh', '-c', 'head -c 100000 /dev/zero > /big'])).status).toBe(0);
    expect((await carton(['ps', '-a', '-s', '--filter', 'name=sized', '--format', '{{.Size}}'])).stdout).toMatch(/^100kB \(virtual \d+(\.\d+)?MB\)\n$/);
    expect((await carton(['ps', '-a', '-s', '--filter', 'name=sized'])).stdout.split('\n')[0]).toMatch(/\sNAMES\s+SIZE$/);
    expect((await carton(['run', '-d', '--name', 'was-published', '-p', '127.0.0.1::80', 'carton/busybox', 'sleep', '60'])).status).toBe(0);
    expect((await carton(['ps', '--filter', 'name=was-published', '--format', '{{.Ports}}'])).stdout).toMatch(/^127\.0\.0\.1:\d+->80\/tcp\n$/);
    expect((await carton(['stop', '-t', '0', 'was-published'])).status).toBe(0);
    expect((await carton(['ps', '-a', '--filter', 'name=was-published', '--format', '[{{.Ports}}]'])).stdout).toBe('[]\n');
    await carton(['rm', 'sized', 'was-published']);
  });

  it('--log-opt max-size/max-file rotates the json log; --log-driver none keeps none; bad options are refused', async () => {
    const lines = 'i=0; while [ $i -lt 2000 ]; do echo "line $i of the output, long enough to fill the log quickly"; i=$((i+1)); done';
    expect((await carton(['run', '-d', '--name', 'rotated', '--network', 'none', '--log-opt', 'max-size=20k', '--log-opt', 'max-file=3', 'carton/busybox', 'sh', '-c', lines])).status).toBe(0);
    expect((await carton(['wait', 'rotated'])).stdout).toBe('0\n');
    const dir = join(process.env.CARTON_ROOT!, 'containers', JSON.parse((await carton(['inspect', 'rotated'])).stdout)[0].Id);
    const files = readdirSync(dir).filter((f) => f.startsWith('container.log')).sort();
    expect(files).toEqual(['container.log', 'container.log.1', 'container.log.2']);
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThan(21_000);
    const logs = (await carton(['logs', 'rotated'])).stdout.split('\n').filter(Boolean);
    expect(logs.length).toBeGreaterThan(100);
    expect(logs.length).toBeLessThan(4000);
    expect(logs.at(-1)).toBe('line 1999 of the output, long enough to fill the log quickly'); // the newest kept, in order
    const numbers = logs.map((l) => Number(l.split(' ')[1]));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(JSON.parse((await carton(['inspect', '-f', '{{json .HostConfig.LogConfig}}', 'rotated'])).stdout)).toEqual({ Type: 'json-file', Config: { 'max-size': '20000', 'max-file': '3' } });
    expect((await carton(['run', '-d', '--name', 'unlogged', '--network', 'none', '--log-driver', 'none', 'carton/busybox', 'echo', 'nothing kept'])).status).toBe(0);
    expect((await carton(['wait', 'unlogged'])).stdout).toBe('0\n');
    const unlogged = await carton(['logs', 'unlogged']);
    expect([unlogged.status, unlogged.stderr]).toEqual([1, expect.stringMatching(/configured logging driver does not support reading/)]);
    for (const bad of [['--log-driver', 'syslog'], ['--log-opt', 'max-size=big'], ['--log-opt', 'colour=red'], ['--log-opt', 'max-file=2']]) {
      const r = await carton(['run', '--rm', '--network', 'none', ...bad, 'carton/busybox', 'true']);
      expect(r.status, bad.join(' ')).toBe(125);
    }
    await carton(['rm', 'rotated', 'unlogged']);
  });

  it('foreground containers are logged too (run and start -a), and their programs start with no signal ignored', async () => {
    // No shell in front (a shell ignores signals of its own): grep's status line to stdout, its complaint to stderr.
    const run = await carton(['run', '--name', 'fg-logged', '--network', 'none', 'carton/busybox', 'grep', '-h', 'SigIgn', '/proc/self/status', '/nonexistent']);
    const out = 'SigIgn:\t0000000000000000\n'; // Node ignores SIGPIPE and SIGXFSZ: not inherited by the program
    expect([run.status, run.stdout, run.stderr]).toEqual([2, out, expect.stringMatching(/nonexistent/)]);
    const logs = await carton(['logs', 'fg-logged']);
    expect([logs.stdout, logs.stderr]).toEqual([out, run.stderr]);
    expect((await carton(['start', '-a', 'fg-logged'])).status).toBe(2);
    expect((await carton(['logs', 'fg-logged'])).stdout).toBe(out + out);
    await carton(['rm', 'fg-logged']);
    expect((await carton(['run', '-d', '--name', 'sig-exec', '--network', 'none', 'carton/busybox', 'sleep', '60'])).status).toBe(0);
    expect((await carton(['exec', 'sig-exec', 'grep', 'SigIgn', '/proc/self/status'])).stdout).toBe('SigIgn:\t0000000000000000\n');
    await carton(['rm', '-f', 'sig-exec']);
  });

  it('--net is --network; --network host gives the container the host\'s name', async () => {
    const links = await carton(['run', '--rm', '--net', 'none', 'carton/busybox', 'ip', '-o', 'link']);
    expect(links.stdout.trim().split('\n').map((l) => l.split(': ')[1])).toEqual(['lo']);
    expect((await carton(['run', '--rm', '--network', 'host', 'carton/busybox', 'hostname'])).stdout).toBe(`${hostname()}\n`);
  });

  it('exec -d starts the command in the background and returns at once', async () => {
    expect((await carton(['run', '-d', '--name', 'bg', '--network', 'none', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    const result = await carton(['exec', '-d', 'bg', 'sh', '-c', 'sleep 1; echo finished > /tmp/done']);
    expect([result.status, result.stdout]).toEqual([0, '']);
    // Returned before the command was done: its file is not there yet, and is a moment later.
    expect((await carton(['exec', 'bg', 'test', '-e', '/tmp/done'])).status).toBe(1);
    expect((await eventually(() => carton(['exec', 'bg', 'cat', '/tmp/done']))).stdout).toBe('finished\n');
    expect((await carton(['exec', '-d', '-t', 'bg', 'true'])).status).toBe(125);
  });

  it('inspect shows HostConfig, Mounts and NetworkSettings as Docker names them', async () => {
    expect((await carton(['run', '-d', '--name', 'shaped', '-p', '127.0.0.1::80', '-m', '64m', '--cpus', '0.5', '--pids-limit', '50', '-v', '/tmp:/host-tmp:ro', '--cap-drop', 'NET_RAW', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    const c = await inspect('shaped');
    expect(c.HostConfig).toMatchObject({ Memory: 64 * 1024 * 1024, NanoCpus: 500_000_000, PidsLimit: 50, Binds: ['/tmp:/host-tmp:ro'], NetworkMode: 'bridge', CapDrop: ['NET_RAW'], Privileged: false, PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } });
    expect(c.Mounts).toEqual([{ Type: 'bind', Source: '/tmp', Destination: '/host-tmp', Mode: 'ro', RW: false }]);
    const bridge = (await inspectNet('bridge')).IPAddress ?? (await inspectNet('bridge')).IPAM.Config[0];
    const net = c.NetworkSettings;
    expect(net.Gateway).toBe(bridge.Gateway);
    expect(net.IPPrefixLen).toBe(Number(bridge.Subnet.split('/')[1]));
    expect(net.MacAddress).toBe(`02:42:${net.IPAddress.split('.').map((b: string) => Number(b).toString(16).padStart(2, '0')).join(':')}`);
    expect(net.Ports['80/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: expect.stringMatching(/^\d+$/) }]);
    expect(net.Networks.bridge).toMatchObject({ IPAddress: net.IPAddress, MacAddress: net.MacAddress, Gateway: net.Gateway });
    expect(c.State.FinishedAt).toBe('0001-01-01T00:00:00Z'); // Docker's zero time: it has not ended
    expect(c.LogPath).toContain(c.Id); // where `carton logs` reads it
    await carton(['stop', '-t', '0', 'shaped']);
    const stopped = await inspect('shaped');
    expect(stopped.NetworkSettings).toMatchObject({ IPAddress: '', MacAddress: '', Ports: {} });
  });

  it('--label, and ps --filter, -n and -l with Docker\'s rules (one key: any value, but labels all; several keys: all)', async () => {
    const names = async (args: string[]) => (await carton(['ps', ...args, '--format', '{{.Names}}'])).stdout.split('\n').filter(Boolean).sort();
    expect((await carton(['run', '-d', '--name', 'web-1', '--network', 'none', '-l', 'tier=web', '--label', 'team=a', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    expect((await carton(['run', '-d', '--name', 'web-2', '--network', 'none', '-l', 'tier=web', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    expect((await carton(['run', '--name', 'job', '--network', 'none', '-l', 'tier=batch', 'carton/busybox', 'sh', '-c', 'exit 3'])).status).toBe(3);
    expect((await inspect('web-1')).Config.Labels).toEqual({ tier: 'web', team: 'a' });
    expect(await names(['--filter', 'label=tier=web'])).toEqual(['web-1', 'web-2']);
    expect(await names(['--filter', 'label=tier=web', '--filter', 'label=team'])).toEqual(['web-1']);
    expect(await names(['--filter', 'name=web-1', '--filter', 'name=web-2'])).toEqual(['web-1', 'web-2']); // one key: either
    const tiered = ['--filter', 'label=tier']; // this test's containers only
    expect(await names([...tiered, '--filter', 'status=exited'])).toEqual(['job']); // a stopped status implies -a, as in Docker
    expect(await names([...tiered, '--filter', 'status=running'])).toEqual(['web-1', 'web-2']);
    expect(await names([...tiered, '--filter', 'exited=3'])).toEqual(['job']);
    expect(await names([...tiered, '--filter', 'exited=0'])).toEqual([]);
    expect(await names(['-a', '--filter', 'ancestor=carton/busybox', '--filter', 'label=tier=batch'])).toEqual(['job']);
    expect(await names(['--filter', 'network=none', '--filter', 'since=web-1'])).toEqual(['web-2']);
    expect(await names(['-l'])).toEqual(['job']);
    expect((await names(['-n', '2'])).length).toBe(2);
    const bad = await carton(['ps', '--filter', 'colour=red']);
    expect([bad.status, bad.stderr]).toEqual([1, expect.stringMatching(/invalid filter `colour`/)]);
    await carton(['rm', '-f', 'web-1', 'web-2', 'job']);
  });

  it('--add-host and --dns* write /etc/hosts and /etc/resolv.conf; --add-host stays when the network rewrites hosts', async () => {
    const files = await carton(['run', '--rm', '--network', 'none', '--add-host', 'db.local:10.1.2.3', '--add-host', 'cache=10.1.2.4', '--dns', '192.0.2.53', '--dns-search', 'example.test', '--dns-option', 'ndots:2', 'carton/busybox', 'sh', '-c', 'cat /etc/hosts; echo ---; cat /etc/resolv.conf']);
    const [hosts, resolv] = files.stdout.split('---\n');
    expect(hosts).toMatch(/^10\.1\.2\.3\tdb\.local$/m);
    expect(hosts).toMatch(/^10\.1\.2\.4\tcache$/m);
    expect(resolv.split('\n').filter((l) => /^(nameserver|search|options)/.test(l))).toEqual(['nameserver 192.0.2.53', 'search example.test', 'options ndots:2']);
    expect((await carton(['network', 'create', 'habits'])).status).toBe(0);
    expect((await carton(['run', '-d', '--name', 'with-extra', '--network', 'habits', '--add-host', 'db.local:10.1.2.3', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    expect((await carton(['run', '-d', '--name', 'joiner', '--network', 'habits', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    const after = (await carton(['exec', 'with-extra', 'cat', '/etc/hosts'])).stdout;
    expect(after).toMatch(/\tjoiner\b/); // rewritten for the new container…
    expect(after).toMatch(/^10\.1\.2\.3\tdb\.local$/m); // …and the extra host kept
    expect((await inspect('with-extra')).HostConfig.ExtraHosts).toEqual(['db.local:10.1.2.3']);
    await carton(['rm', '-f', 'with-extra', 'joiner']);
    expect((await carton(['network', 'rm', 'habits'])).status).toBe(0);
    expect((await carton(['run', '--rm', '--add-host', 'bad', 'carton/busybox', 'true'])).status).toBe(125);
  });

  it('--stop-signal is what stop sends first; --stop-timeout is its default wait', async () => {
    const trap = ['sh', '-c', 'trap "exit 42" USR1; while true; do sleep 0.1; done'];
    expect((await carton(['run', '-d', '--name', 'usr1', '--network', 'none', '--stop-signal', 'USR1', '--stop-timeout', '30', 'carton/busybox', ...trap])).status).toBe(0);
    expect((await inspect('usr1')).Config).toMatchObject({ StopSignal: 'SIGUSR1', StopTimeout: 30 });
    await new Promise((r) => setTimeout(r, 300));
    expect((await carton(['stop', 'usr1'])).status).toBe(0);
    expect((await inspect('usr1')).State.ExitCode).toBe(42); // the trap ran: USR1 came, not SIGKILL
    await carton(['rm', 'usr1']);
    expect((await carton(['run', '--rm', '--stop-signal', 'SIGNOPE', 'carton/busybox', 'true'])).status).toBe(125);
  });

  it('--format takes Go templates: table with headers, json, lists as Go prints them; an unknown field is an error', async () => {
    expect((await carton(['run', '-d', '--name', 'tmpl', '--network', 'none', '-l', 'k=v', 'carton/busybox', 'httpd', '-f'])).status).toBe(0);
    const table = (await carton(['ps', '--filter', 'name=tmpl', '--format', 'table {{.Names}}\\t{{.State}}\\t{{.Labels}}'])).stdout.split('\n');
    expect(table[0]).toMatch(/^NAMES\s+STATE\s+LABELS$/);
    expect(table[1]).toMatch(/^tmpl\s+running\s+k=v$/);
    expect((await carton(['inspect', '-f', '{{.State.Status}} {{.Args}} {{json .Config.Labels}} {{index .Config.Labels "k"}}', 'tmpl'])).stdout).toBe('running [-f] {"k":"v"} v\n');
    expect((await carton(['inspect', '-f', '{{range .Config.Env}}{{if eq . "HOME=/root"}}{{.}}{{end}}{{end}}', 'tmpl'])).stdout).toBe('HOME=/root\n');
    expect((await carton(['images', '--format', '{{.Repository}}:{{.Tag}}', 'carton/busybox'])).stdout).toBe('carton/busybox:latest\n');
    const bad = await carton(['ps', '--format', '{{.Nope}}']);
    expect([bad.status, bad.stderr]).toEqual([1, expect.stringMatching(/can't evaluate field Nope/)]);
    expect((await carton(['inspect', '-f', '{{.Nope}}', 'tmpl'])).status).toBe(1);
    await carton(['rm', '-f', 'tmpl']);
  });

  it('logs --since and --until keep the lines of a time window (the times of logs -t)', async () => {
    expect((await carton(['run', '-d', '--name', 'talker', '--network', 'none', 'carton/busybox', 'sh', '-c', 'echo one; sleep 1; echo two; sleep 1; echo three; exec sleep 120'])).status).toBe(0);
    const stamped = await eventually(async () => {
      const r = await carton(['logs', '-t', 'talker']);
      return { ...r, status: r.stdout.includes('three') ? 0 : 1 };
    });
    const times = Object.fromEntries(stamped.stdout.trim().split('\n').map((l) => [l.split(' ')[1], l.split(' ')[0]]));
    expect((await carton(['logs', '--since', times.two, 'talker'])).stdout).toBe('two\nthree\n');
    expect((await carton(['logs', '--until', times.two, 'talker'])).stdout).toBe('one\n');
    expect((await carton(['logs', '--since', times.two, '--until', times.three, 'talker'])).stdout).toBe('two\n');
    expect((await carton(['logs', '--since', '1h', 'talker'])).stdout).toBe('one\ntwo\nthree\n');
    expect((await carton(['logs', '--since', 'yesterday', 'talker'])).status).toBe(125);
    await carton(['rm', '-f', 'talker']);
  });

  it('update changes a running container\'s limits in its cgroup, and its restart policy', async () => {
    expect((await carton(['run', '-d', '--name', 'grow', '--network', 'none', '-m', '64m', '--pids-limit', '20', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    const id = (await inspect('grow')).Id;
    const v1 = (controller: string, file: string) => readFileSync(`/sys/fs/cgroup/${controller}/carton/${id}/${file}`, 'utf8').trim();
    expect((await carton(['update', '-m', '128m', '--pids-limit', '42', '--cpus', '0.5', '--restart', 'on-failure:2', 'grow'])).stdout).toBe('grow\n');
    expect(v1('memory', 'memory.limit_in_bytes')).toBe(String(128 * 1024 * 1024));
    expect(v1('pids', 'pids.max')).toBe('42');
    expect(v1('cpu', 'cpu.cfs_quota_us')).toBe('50000');
    expect((await inspect('grow')).HostConfig).toMatchObject({ Memory: 128 * 1024 * 1024, PidsLimit: 42, NanoCpus: 500_000_000, RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } });
    const none = await carton(['update', 'grow']);
    expect([none.status, none.stderr]).toEqual([1, expect.stringMatching(/one or more flags/)]);
    expect((await carton(['update', '-m', '1k', 'grow'])).status).not.toBe(0); // below Docker's minimum
    expect(v1('memory', 'memory.limit_in_bytes')).toBe(String(128 * 1024 * 1024));
    await carton(['rm', '-f', 'grow']);
  });

  it('volume prune removes the anonymous volumes no container uses (-a: every unused one), and only those', async () => {
    await carton(['volume', 'create', 'kept']);
    await carton(['volume', 'create', 'unused']);
    expect((await carton(['run', '-d', '--name', 'user', '--network', 'none', '-v', 'kept:/data', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    const dangling = (await carton(['volume', 'ls', '--filter', 'dangling=true', '--format', '{{.Name}}'])).stdout.split('\n');
    expect(dangling).toContain('unused');
    expect(dangling).not.toContain('kept');
    expect((await carton(['volume', 'ls', '--filter', 'name=kep', '--format', 'table {{.Name}}\\t{{.Driver}}'])).stdout).toMatch(/^VOLUME NAME\s+DRIVER\nkept\s+local\n$/);
    expect((await carton(['network', 'ls', '--filter', 'type=builtin', '--format', '{{.Name}}'])).stdout.split('\n').filter(Boolean).sort()).toEqual(['bridge', 'host', 'none']);
    // As Docker 23 and later: prune takes the unused anonymous volumes; -a every unused volume.
    expect((await carton(['run', '--name', 'anon-user', '--network', 'none', '-v', '/scratch', 'carton/busybox', 'true'])).status).toBe(0);
    const anonymous = JSON.parse((await carton(['inspect', '-f', '{{json .Mounts}}', 'anon-user'])).stdout)[0].Name;
    expect((await carton(['rm', 'anon-user'])).status).toBe(0); // a plain rm leaves it
    const prune = await carton(['volume', 'prune', '-f']);
    expect(prune.stdout).toMatch(new RegExp(`^Deleted Volumes:\\n${anonymous}\\n\\n`));
    expect((await carton(['volume', 'ls', '-q'])).stdout.split('\n')).toContain('unused');
    const all = await carton(['volume', 'prune', '-a', '-f']);
    expect(all.stdout).toMatch(/^Deleted Volumes:\nunused\n/);
    const left = (await carton(['volume', 'ls', '-q'])).stdout.split('\n');
    expect(left).toContain('kept');
    expect(left).not.toContain('unused');
  });
});

describe.skipIf(!isRoot)('carton info (needs root)', () => {
  it('counts containers by state and images, and says what it runs on; --format takes fields and json', async () => {
    expect((await carton(['run', '-d', '--name', 'counted', '--network', 'none', 'carton/busybox', 'sleep', '120'])).status).toBe(0);
    const facts = JSON.parse((await carton(['info', '--format', '{{json .}}'])).stdout);
    expect(facts.ContainersRunning).toBeGreaterThanOrEqual(1);
    expect(facts.Containers).toBe(facts.ContainersRunning + facts.ContainersPaused + facts.ContainersStopped);
    expect(facts).toMatchObject({ OSType: 'linux', KernelVersion: release(), NCPU: cpus().length, CgroupDriver: 'cgroupfs', DockerRootDir: process.env.CARTON_ROOT, Name: hostname() });
    expect(facts.SecurityOptions).toContain('name=seccomp,profile=builtin');
    expect((await carton(['system', 'info', '-f', '{{.ContainersRunning}}'])).stdout).toBe(`${facts.ContainersRunning}\n`);
    const text = (await carton(['info'])).stdout;
    expect(text).toMatch(/^Server:\n Containers: \d+\n  Running: \d+\n  Paused: \d+\n  Stopped: \d+\n Images: \d+\n/);
    expect((await carton(['info', '-f', '{{.Nope}}'])).status).not.toBe(0);
    await carton(['rm', '-f', 'counted']);
  });
});
