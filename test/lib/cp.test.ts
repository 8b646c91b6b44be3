// carton cp, both ways, as docker cp: files and directories with Docker's destination rules,
// tar streams, running and stopped containers; a symlink the container made that points at a
// host path is followed inside the container, never on the host.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, isRoot, mountsUnder, removeAllContainers, removeDir, repo, tempDir } from '../helpers/index.js';

const none = ['--network', 'none'];

describe.skipIf(!isRoot)('carton cp (needs root)', () => {
  const dir = tempDir('carton-cp-');
  const marker = `carton-cp-escape-${process.pid}`;
  afterAll(async () => {
    await removeAllContainers();
    removeDir(dir);
  });

  it('copies out of and into a running container with docker cp\'s rules', async () => {
    const setup = 'mkdir -p /data/sub && echo one > /data/f && echo two > /data/sub/g && ln -s f /data/link && exec sleep 300';
    expect((await carton(['run', '-d', '--name', 'live', ...none, 'carton/busybox', 'sh', '-c', setup])).status).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    const out = join(dir, 'out');
    mkdirSync(out);
    expect((await carton(['cp', 'live:/data/f', out])).status).toBe(0); // into an existing directory
    expect(readFileSync(join(out, 'f'), 'utf8')).toBe('one\n');
    expect((await carton(['cp', 'live:/data', join(out, 'copy')])).status).toBe(0); // a directory to a new name
    expect(readdirSync(join(out, 'copy')).sort()).toEqual(['f', 'link', 'sub']);
    expect(readlinkSync(join(out, 'copy', 'link'))).toBe('f'); // a link stays a link
    expect((await carton(['cp', 'live:/data', out])).status).toBe(0); // a directory into an existing one
    expect(readFileSync(join(out, 'data', 'sub', 'g'), 'utf8')).toBe('two\n');
    expect((await carton(['cp', '-L', 'live:/data/link', join(out, 'followed')])).status).toBe(0);
    expect(lstatSync(join(out, 'followed')).isFile()).toBe(true);

    writeFileSync(join(dir, 'in.txt'), 'from the host\n');
    mkdirSync(join(dir, 'tree', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'tree', 'deep', 'x'), 'x\n');
    expect((await carton(['cp', join(dir, 'in.txt'), 'live:/data/'])).status).toBe(0);
    expect((await carton(['cp', join(dir, 'tree'), 'live:/newtree'])).status).toBe(0);
    expect((await carton(['exec', 'live', 'sh', '-c', 'cat /data/in.txt /newtree/deep/x; stat -c %u /data/in.txt'])).stdout).toBe('from the host\nx\n0\n');
  });

  it('tar streams: out to stdout, in from stdin', async () => {
    const tar = spawnSync(process.execPath, [join(repo, 'lib/cli/carton.js'), 'cp', 'live:/data/sub', '-'], { env: process.env });
    expect(tar.status).toBe(0);
    const listed = spawnSync('tar', ['-t'], { input: tar.stdout, encoding: 'utf8' });
    expect(listed.stdout.split('\n').filter(Boolean)).toEqual(['sub/', 'sub/g']);
    const made = spawnSync('tar', ['-c', '-C', join(dir, 'tree'), 'deep']);
    const into = await carton(['cp', '-', 'live:/fromtar'], { input: made.stdout.toString('latin1') });
    expect(into.status, into.stderr).toBe(0);
    expect((await carton(['exec', 'live', 'cat', '/fromtar/deep/x'])).stdout).toBe('x\n');
  });

  it('a tar stream out carries the owners the container gave its files, -a or not, as Docker\'s', async () => {
    expect((await carton(['exec', 'live', 'sh', '-c', 'mkdir /owned && touch /owned/f && chown 7:8 /owned/f'])).status).toBe(0);
    const tar = spawnSync(process.execPath, [join(repo, 'lib/cli/carton.js'), 'cp', 'live:/owned', '-'], { env: process.env });
    expect(tar.status).toBe(0);
    const listed = spawnSync('tar', ['--numeric-owner', '-tv'], { input: tar.stdout, encoding: 'utf8' });
    expect(listed.stdout).toMatch(/^\S+ 7\/8 .* owned\/f$/m);
  });

  it('a copy that fails half-way (the container\'s disk is full) leaves the file it would have replaced', async () => {
    expect((await carton(['run', '-d', '--name', 'full', ...none, '--tmpfs', '/small:size=64k', 'carton/busybox', 'sh', '-c', 'echo old > /small/f; exec sleep 300'])).status).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    writeFileSync(join(dir, 'big'), Buffer.alloc(1 << 20, 1));
    const failed = await carton(['cp', join(dir, 'big'), 'full:/small/f']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/ENOSPC/);
    expect((await carton(['exec', 'full', 'ls', '-a', '/small'])).stdout.split('\n').filter(Boolean).sort()).toEqual(['.', '..', 'f']);
    expect((await carton(['exec', 'full', 'cat', '/small/f'])).stdout).toBe('old\n');
  });

  it('a symlink the container made to a host path is followed inside the container, both ways', async () => {
    expect((await carton(['exec', 'live', 'sh', '-c', 'ln -s / /escape && ln -s /etc/hostname /hostname-link && echo container-secret > /tmp/secret'])).status).toBe(0);
    expect((await carton(['cp', join(dir, 'in.txt'), `live:/escape/tmp/${marker}`])).status).toBe(0);
    expect(existsSync(`/tmp/${marker}`)).toBe(false);
    expect((await carton(['exec', 'live', 'cat', `/tmp/${marker}`])).stdout).toBe('from the host\n');
    expect((await carton(['cp', 'live:/escape/tmp/secret', join(dir, 'secret')])).status).toBe(0);
    expect(readFileSync(join(dir, 'secret'), 'utf8')).toBe('container-secret\n');
    expect((await carton(['cp', '-L', 'live:/hostname-link', join(dir, 'hostname')])).status).toBe(0);
    expect(readFileSync(join(dir, 'hostname'), 'utf8')).toBe((await carton(['exec', 'live', 'cat', '/etc/hostname'])).stdout);
  });

  it('a stopped container: copied into its changes, and out of them; errors exit 1', async () => {
    expect((await carton(['run', '--name', 'stopped', ...none, 'carton/busybox', 'sh', '-c', 'echo before > /made'])).status).toBe(0);
    expect((await carton(['cp', join(dir, 'in.txt'), 'stopped:/added.txt'])).status).toBe(0);
    expect((await carton(['cp', 'stopped:/made', join(dir, 'made')])).status).toBe(0);
    expect(readFileSync(join(dir, 'made'), 'utf8')).toBe('before\n');
    expect(mountsUnder(process.env.CARTON_RUN!)).toEqual([]);
    const diff = (await carton(['diff', 'stopped'])).stdout;
    expect(diff).toMatch(/^A \/added\.txt$/m);
    const missing = await carton(['cp', 'stopped:/no/such', join(dir, 'x')]);
    expect([missing.status, missing.stderr]).toEqual([1, expect.stringMatching(/could not find the file `\/no\/such` in container stopped/)]);
    expect((await carton(['cp', 'nosuch:/x', dir])).status).toBe(1);
    expect((await carton(['cp', join(dir, 'in.txt'), join(dir, 'y')])).stderr).toMatch(/at least one container/);
  });
});
