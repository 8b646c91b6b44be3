// Anonymous volumes, as Docker's: `-v /data` and an image's VOLUME get a volume with a random
// name, mounted at the target (mountinfo shows it), kept across restarts, left by a plain rm,
// removed by rm -v and by --rm.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, isRoot, removeAllContainers, removeDir, tempDir } from '../helpers/index.js';

const mountsOf = async (name: string) => JSON.parse((await carton(['inspect', '-f', '{{json .Mounts}}', name])).stdout) as Array<{ Type: string; Name: string; Source: string; Destination: string }>;
const volumes = async () => (await carton(['volume', 'ls', '-q'])).stdout.split('\n').filter(Boolean);

describe.skipIf(!isRoot)('anonymous volumes (needs root)', () => {
  const dir = tempDir('carton-anon-');
  afterAll(async () => {
    await removeAllContainers();
    await carton(['rmi', 'anon-test']);
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
});
