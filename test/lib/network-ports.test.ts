// Published ports through the real CLI: -P publishes every exposed port (--expose here; an
// image's EXPOSE too) on a free host port that `carton port` shows; a host port another
// program holds is refused before anything is created.
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allocations, carton, eventually, isRoot, removeAllContainers, removeDir, repo, tempDir, type Result } from '../helpers/index.js';

/** wget from the host, as a Result. */
function wget(url: string): Result {
  try {
    return { status: 0, signal: null, stdout: execFileSync('/bin/busybox', ['wget', '-qO-', url], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), stderr: '' };
  } catch (error) {
    return { status: 1, signal: null, stdout: '', stderr: String(error) };
  }
}

/** Everything of carton's on the host's network side, for before/after comparisons. */
function networkState(): { veths: string[]; rules: string[]; allocations: string[] } {
  const table = process.env.CARTON_NFT_TABLE!;
  const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n');
  let rules: string[] = [];
  try {
    rules = execFileSync('nft', ['list', 'table', 'ip', table], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter((l) => l.includes('ctr:'));
  } catch {
    // no table yet
  }
  const owners = allocations().map((a) => a.owner);
  const bridge = process.env.CARTON_BRIDGE!;
  return { veths: links.filter((l) => l.includes(` master ${bridge} `)).map((l) => l.split(': ')[1]), rules, allocations: owners };
}

const web = ['sh', '-c', 'mkdir -p /www && echo hello-published > /www/index.html && exec httpd -f -p 80 -h /www'];

describe.skipIf(!isRoot)('publishing ports (needs root)', () => {
  afterAll(async () => {
    await removeAllContainers();
    await carton(['network', 'rm', 'pubnet']);
  });

  it('-P with --expose 80 publishes port 80 on a free host port: carton port shows it, the host reaches it', async () => {
    const run = await carton(['run', '-d', '--name', 'pall', '-P', '--expose', '80', 'carton/busybox', ...web]);
    expect(run.status).toBe(0);
    const port = (await carton(['port', 'pall'])).stdout;
    const m = /^80\/tcp -> 0\.0\.0\.0:(\d+)\n80\/tcp -> \[::\]:\1\n$/.exec(port); // IPv4, and its IPv6 twin (as Docker's)
    expect(m, port).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
    expect((await carton(['port', 'pall', '80/tcp'])).stdout).toBe(`0.0.0.0:${m![1]}\n[::]:${m![1]}\n`);
    expect((await eventually(() => wget(`http://127.0.0.1:${m![1]}/`))).stdout).toBe('hello-published\n');
    await carton(['rm', '-f', 'pall']);
    expect(networkState().rules.filter((r) => r.includes(`dport ${m![1]}`))).toEqual([]);
  });

  it('-p works on a user-defined network too; -P without exposed ports publishes nothing', async () => {
    expect((await carton(['network', 'create', 'pubnet'])).status).toBe(0);
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const port = (free.address() as { port: number }).port;
    await new Promise((r) => free.close(r));
    expect((await carton(['run', '-d', '--name', 'pweb', '--network', 'pubnet', '-p', `${port}:80`, '-P', 'carton/busybox', ...web])).status).toBe(0);
    expect((await carton(['port', 'pweb'])).stdout).toBe(`80/tcp -> 0.0.0.0:${port}\n80/tcp -> [::]:${port}\n`);
    expect((await eventually(() => wget(`http://127.0.0.1:${port}/`))).stdout).toBe('hello-published\n');
    await carton(['rm', '-f', 'pweb']);
  });

  it('a port published on every address answers on IPv6 too (TCP and UDP, through carton\'s proxy); one bound to 127.0.0.1 does not', async () => {
    const probe = tempDir('carton-udp-echo-');
    execFileSync('gcc', ['-static', '-O1', '-o', join(probe, 'udp-echo'), join(repo, 'test/lib/probes/udp-echo.c')]);
    const udpEcho = ['sh', '-c', 'mkdir -p /www && echo hello-v6 > /www/index.html && httpd -p 80 -h /www && exec /probe/udp-echo 53'];
    expect((await carton(['run', '-d', '--name', 'psix', '-v', `${probe}:/probe:ro`, '-p', '80', '-p', '53/udp', '-p', '127.0.0.1::8080', 'carton/busybox', ...udpEcho])).status).toBe(0);
    const lines = (await carton(['port', 'psix'])).stdout.trim().split('\n');
    const tcp = Number(/^80\/tcp -> 0\.0\.0\.0:(\d+)$/.exec(lines[0])![1]);
    const udp = Number(/^53\/udp -> 0\.0\.0\.0:(\d+)$/.exec(lines[2])![1]);
    expect(lines).toEqual([`80/tcp -> 0.0.0.0:${tcp}`, `80/tcp -> [::]:${tcp}`, `53/udp -> 0.0.0.0:${udp}`, `53/udp -> [::]:${udp}`, expect.stringMatching(/^8080\/tcp -> 127\.0\.0\.1:\d+$/)]);
    expect((await carton(['ps', '--format', '{{.Ports}}', '--filter', 'name=psix'])).stdout).toContain(`0.0.0.0:${tcp}->80/tcp, :::${tcp}->80/tcp`);
    const ports = JSON.parse((await carton(['inspect', '-f', '{{json .NetworkSettings.Ports}}', 'psix'])).stdout);
    expect(ports['80/tcp']).toEqual([{ HostIp: '0.0.0.0', HostPort: String(tcp) }, { HostIp: '::', HostPort: String(tcp) }]);
    // In the kernel: something listens on [::]:tcp, IPv6 only (the IPv4 side is nft's DNAT).
    expect(execFileSync('ss', ['-H', '-ltn', `sport = :${tcp}`], { encoding: 'utf8' })).toMatch(/\[::\]:\d+/);
    expect((await eventually(() => wget(`http://[::1]:${tcp}/`))).stdout).toBe('hello-v6\n');
    const socket = createSocket('udp6');
    try {
      const reply = await eventually(async () => {
        const got = new Promise<string>((resolve) => socket.once('message', (m) => resolve(m.toString())));
        socket.send('ping-v6\n', udp, '::1');
        const text = await Promise.race([got, new Promise<string>((r) => setTimeout(() => r(''), 500))]);
        return { status: text ? 0 : 1, signal: null, stdout: text, stderr: '' };
      });
      expect(reply.stdout).toBe('ping-v6\n');
    } finally {
      socket.close();
    }
    await carton(['rm', '-f', 'psix']);
    removeDir(probe);
    expect(execFileSync('ss', ['-H', '-lntu', `sport = :${tcp} or sport = :${udp}`], { encoding: 'utf8' })).toBe(''); // the proxy went with it
  });

  it('a host port another program listens on is refused before the container exists, leaving nothing', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const before = networkState();
    const containers = (await carton(['ps', '-aq'])).stdout;
    try {
      const result = await carton(['run', '-p', `${port}:80`, 'carton/busybox', 'echo', 'started']);
      expect(result.status).toBe(125);
      expect(result.stdout).not.toContain('started');
      expect(result.stderr).toContain(`cannot publish 0.0.0.0:${port}/tcp: EADDRINUSE`);
      expect(result.stderr).toContain(`another program listens on port ${port}`);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect((await carton(['ps', '-aq'])).stdout).toBe(containers);
    expect(networkState()).toEqual(before);
  });

  it('bad --expose and -P on --network none are usage errors', async () => {
    const bad = await carton(['run', '--rm', '--expose', '80:90', 'carton/busybox', 'true']);
    expect([bad.status, bad.stderr]).toEqual([125, expect.stringContaining('invalid exposed port 80:90')]);
    const none = await carton(['run', '--rm', '--network', 'none', '-P', 'carton/busybox', 'true']);
    expect([none.status, none.stderr]).toEqual([125, expect.stringContaining('published ports need a bridge network')]);
  });
});
