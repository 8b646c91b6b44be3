// Anonymous volumes, as Docker's: `-v /data` and an image's VOLUME get a volume with a random
// name, mounted at the target (mountinfo shows it), kept across restarts, left by a plain rm,
// removed by rm -v and by --rm.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, isRoot, removeAllContainers, removeDir, tempDir } from '../helpers/index.js';

const mountsOf = async (name: string) => JSON.parse((await carton(['inspect', '-f', '{{json .Mounts}}', name])).stdout) as Array<{ Type: string; Name: string; Source: string; Destination: string }>;
const volumes = async () => (await carton(['volume', 'ls', '-q'])).stdout.split('\n').filter(Boolean);

describe.skipIf(!isRoot)('anonymous volumes (needs root)', () => {
  const dir = tempDir('carton-anon-');
  afterAll(async () => {
    await removeAllContainers();
    await carton(['rmi', 'anon-test', 'seeded-test']);
    removeDir(dir);
  });

  it('-v /data mounts a new volume there; it outlives a restart and a plain rm, and rm -v removes it', async () => {
    expect((await carton(['run', '-d', '--name', 'av', '-v', '/data', 'carton/busybox', 'sh', '-c', 'echo kept >> /data/f; grep -c " /data " /proc/self/mountinfo; sleep 60'])).status).toBe(0);
    const [m] = await mountsOf('av');
    expect(m).toMatchObject({ Type: 'volume', Destination: '/data' });
    expect(m.Name).toMatch(/^[0-9a-f]{64}$/);
    expect(await volumes()).toContain(m.Name);
    const info = JSON.parse((await carton(['volume', 'inspect', m.Name])).stdout)[0];
    expect(info.Labels).toEqual({ 'com.docker.volume.anonymous': '' });
    for (let i = 0; i < 50 && !existsSync(join(info.Mountpoint, 'f')); i++) await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync(join(info.Mountpoint, 'f'), 'utf8')).toBe('kept\n');
    expect((await carton(['restart', '-t', '0', 'av'])).status).toBe(0);
    for (let i = 0; i < 50 && readFileSync(join(info.Mountpoint, 'f'), 'utf8') !== 'kept\nkept\n'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync(join(info.Mountpoint, 'f'), 'utf8')).toBe('kept\nkept\n'); // the same volume after the restart
    expect((await carton(['logs', 'av'])).stdout).toBe('1\n1\n'); // a mount point of its own, each time
    expect((await carton(['rm', '-f', '-v', 'av'])).status).toBe(0);
    expect(await volumes()).not.toContain(m.Name);
    expect(existsSync(info.Mountpoint)).toBe(false);

    expect((await carton(['run', '-d', '--name', 'av2', '-v', '/data', 'carton/busybox', 'sleep', '60'])).status).toBe(0);
    const [m2] = await mountsOf('av2');
    expect((await carton(['rm', '-f', 'av2'])).status).toBe(0);
    expect(await volumes()).toContain(m2.Name); // as Docker: only -v removes it
    expect((await carton(['volume', 'rm', m2.Name])).status).toBe(0);
  });

  it('--mount takes Docker\'s fields (a bind\'s source must exist), and --volumes-from shares another container\'s volumes', async () => {
    const host = join(dir, 'shared');
    const missing = await carton(['run', '--rm', '--mount', `type=bind,source=${host},target=/h`, 'carton/busybox', 'true']);
    expect([missing.status, missing.stderr]).toEqual([125, expect.stringMatching(/bind source path does not exist/)]);
    expect((await carton(['ps', '-aq'])).stdout).toBe('');
    mkdirSync(host);
    const run = await carton(['run', '-d', '--name', 'src', '--mount', `type=bind,src=${host},dst=/h,readonly`, '--mount', 'type=volume,source=vf-data,target=/data',
      '--mount', 'type=tmpfs,target=/scratch,tmpfs-size=1m', 'carton/busybox', 'sh', '-c', 'echo from-src > /data/f; sleep 60']);
    expect(run.status).toBe(0);
    const mounts = await mountsOf('src');
    expect(mounts.map((m) => [m.Type, m.Destination])).toEqual([['bind', '/h'], ['volume', '/data'], ['tmpfs', '/scratch']]);
    // In the kernel: /h read-only, /scratch a tmpfs of 1 MiB.
    const inside = await carton(['exec', 'src', 'sh', '-c', 'touch /h/x 2>/dev/null && echo writable || echo read-only; df -k /scratch | tail -1']);
    expect(inside.stdout).toMatch(/^read-only\ntmpfs\s+1024\s/);
    const from = await carton(['run', '--rm', '--volumes-from', 'src:ro', 'carton/busybox', 'sh', '-c', 'cat /data/f; touch /data/y 2>/dev/null || echo ro; grep -c " /scratch " /proc/self/mountinfo']);
    expect(from.stdout).toBe('from-src\nro\n0\n'); // its volume and bind, read-only; not its tmpfs
    await carton(['rm', '-f', 'src']);
    expect((await carton(['volume', 'rm', 'vf-data'])).status).toBe(0);
    for (const bad of ['type=nfs,target=/x', 'type=volume,target=relative', 'type=tmpfs,source=a,target=/t', 'type=bind,target=/x', 'colour=red,target=/x']) {
      const r = await carton(['run', '--rm', '--mount', bad, 'carton/busybox', 'true']);
      expect([r.status, r.stderr.split('\n')[0]]).toEqual([125, expect.stringMatching(/--mount|mount config/)]);
    }
  });

  it("an image's VOLUME gets an anonymous volume; --rm removes it with the container", async () => {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM carton/busybox\nVOLUME /state\n');
    expect((await carton(['build', '-q', '-t', 'anon-test', dir])).status).toBe(0);
    const before = await volumes();
    const run = await carton(['run', '--rm', 'anon-test', 'sh', '-c', 'grep -c " /state " /proc/self/mountinfo']);
    expect([run.status, run.stdout]).toEqual([0, '1\n']);
    expect(await volumes()).toEqual(before);
    // -v NAME:/state instead: no anonymous volume, the named one is used.
    const named = await carton(['run', '--rm', '-v', 'mine:/state', 'anon-test', 'sh', '-c', 'echo hi > /state/x']);
    expect(named.status).toBe(0);
    expect(await volumes()).toEqual([...before, 'mine'].sort());
    expect((await carton(['volume', 'rm', 'mine'])).status).toBe(0);
  });

  it('an empty volume is filled from the image once, owners, modes and links kept; nocopy and binds are not; links stay inside', async () => {
    const seeded = join(dir, 'seeded');
    mkdirSync(seeded);
    writeFileSync(join(seeded, 'Dockerfile'), [
      'FROM carton/busybox',
      'RUN mkdir -p /data/sub && echo seed > /data/sub/f && ln -s /etc /data/etc-link && chown -R 1000:2000 /data && chmod 750 /data && ln -s /data /data-link',
      'VOLUME /data',
      '',
    ].join('\n'));
    expect((await carton(['build', '-q', '--network', 'none', '-t', 'seeded-test', seeded])).status).toBe(0);
    const mountpoint = async (name: string) => JSON.parse((await carton(['volume', 'inspect', name])).stdout)[0].Mountpoint as string;
    const none = ['--network', 'none'];

    // A new named volume: the image's /data, read back on the host, in the volume itself.
    expect((await carton(['run', '--rm', ...none, '-v', 'seed-named:/data', 'seeded-test', 'sh', '-c', 'echo changed > /data/sub/f'])).status).toBe(0);
    const data = await mountpoint('seed-named');
    expect([statSync(data).mode & 0o7777, statSync(data).uid, statSync(data).gid]).toEqual([0o750, 1000, 2000]);
    expect([statSync(join(data, 'sub/f')).uid, statSync(join(data, 'sub/f')).gid]).toEqual([1000, 2000]);
    expect(lstatSync(join(data, 'etc-link')).isSymbolicLink()).toBe(true); // copied as a link, never followed onto the host's /etc
    expect(readlinkSync(join(data, 'etc-link'))).toBe('/etc');
    expect(readdirSync(data).sort()).toEqual(['etc-link', 'sub']);
    // Not empty any more: the next container sees the volume's data, not the image's again.
    expect((await carton(['run', '--rm', ...none, '-v', 'seed-named:/data', 'seeded-test', 'cat', '/data/sub/f'])).stdout).toBe('changed\n');

    // A target that is a symlink in the image is followed inside the image's root.
    expect((await carton(['run', '--rm', ...none, '-v', 'seed-linked:/data-link', 'seeded-test', 'true'])).status).toBe(0);
    expect(readFileSync(join(await mountpoint('seed-linked'), 'sub/f'), 'utf8')).toBe('seed\n');

    // nocopy (-v and --mount) and a bind mount: left as they were.
    expect((await carton(['run', '--rm', ...none, '-v', 'seed-nocopy:/data:nocopy', '--mount', 'type=volume,source=seed-nocopy2,target=/other,volume-nocopy', 'seeded-test', 'true'])).status).toBe(0);
    expect(readdirSync(await mountpoint('seed-nocopy'))).toEqual([]);
    const bind = join(dir, 'bind');
    mkdirSync(bind);
    expect((await carton(['run', '--rm', ...none, '-v', `${bind}:/data`, 'seeded-test', 'true'])).status).toBe(0);
    expect(readdirSync(bind)).toEqual([]);

    // The image's VOLUME: its anonymous volume starts with the image's files too.
    expect((await carton(['run', '--rm', ...none, 'seeded-test', 'cat', '/data/sub/f'])).stdout).toBe('seed\n');
    for (const v of ['seed-named', 'seed-linked', 'seed-nocopy', 'seed-nocopy2']) expect((await carton(['volume', 'rm', v])).status).toBe(0);
  });
});
