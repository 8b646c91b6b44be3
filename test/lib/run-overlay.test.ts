// Containers on overlayfs (chapter 05 in the runtime): shared read-only image layers, a
// writable layer per container, carton diff, volumes, --tmpfs and --read-only.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, isRoot, mountsUnder, removeAllContainers, removeDir, tempDir } from '../helpers/index.js';

// The default image has one layer; its unpacked directory is the overlay's only lowerdir.
let layerDir = '';
const image = () => layerDir;
const upper = (id: string) => join(process.env.CARTON_ROOT!, 'containers', id, 'upper');

describe.skipIf(!isRoot)('containers on overlayfs (needs root)', () => {
  const host = tempDir('carton-hostdir-');
  afterAll(async () => {
    await removeAllContainers();
    await carton(['volume', 'rm', 'data']);
    removeDir(host);
  });

  it('two containers of one image share its files (same inodes) but not their writes', async () => {
    await carton(['run', '--rm', '--network', 'none', 'carton/busybox', 'true']); // builds the image
    layerDir = (await carton(['inspect', '--type', 'image', '-f', '{{.GraphDriver.Data.LowerDir}}', 'carton/busybox'])).stdout.trim();
    expect(existsSync(join(layerDir, 'bin/busybox'))).toBe(true);
    const a = (await carton(['run', '-d', '--name', 'ova', 'carton/busybox', 'sh', '-c', 'echo from-a > /shared-name; exec sleep 60'])).stdout.trim();
    const b = (await carton(['run', '-d', '--name', 'ovb', 'carton/busybox', 'sleep', '60'])).stdout.trim();
    const inode = String(statSync(join(image(), 'bin/busybox')).ino);
    expect((await carton(['exec', 'ova', 'stat', '-c', '%i', '/bin/busybox'])).stdout.trim()).toBe(inode);
    expect((await carton(['exec', 'ovb', 'stat', '-c', '%i', '/bin/busybox'])).stdout.trim()).toBe(inode);
    expect((await carton(['exec', 'ova', 'cat', '/shared-name'])).stdout).toBe('from-a\n');
    expect((await carton(['exec', 'ovb', 'cat', '/shared-name'])).status).not.toBe(0);
    expect(existsSync(join(image(), 'shared-name'))).toBe(false);
    expect(readFileSync(join(upper(a), 'shared-name'), 'utf8')).toBe('from-a\n');
    expect(existsSync(join(upper(b), 'shared-name'))).toBe(false);
    // The overlay lives in the container's own mount namespace: the host does not see it.
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(upper(a));
    await carton(['rm', '-f', 'ova', 'ovb']);
    expect(existsSync(upper(a))).toBe(false);
    expect(existsSync(join(process.env.CARTON_ROOT!, 'containers', b))).toBe(false);
  });

  it('a deleted image file is a whiteout in the upper layer and D in carton diff; the image is untouched', async () => {
    const id = (await carton(['run', '--name', 'deleter', 'carton/busybox', 'sh', '-c', 'rm /bin/ls; echo more >> /etc/passwd; mkdir /newdir; echo hi > /newdir/f'])).stdout.trim() || JSON.parse((await carton(['inspect', 'deleter'])).stdout)[0].Id;
    const diff = await carton(['diff', 'deleter']);
    expect(diff.stdout).toBe(['C /bin', 'D /bin/ls', 'C /etc', 'C /etc/passwd', 'A /newdir', 'A /newdir/f', ''].join('\n'));
    const whiteout = statSync(join(upper(id), 'bin/ls'));
    expect(whiteout.isCharacterDevice()).toBe(true);
    expect(whiteout.rdev).toBe(0);
    expect(existsSync(join(image(), 'bin/ls'))).toBe(true);
    expect(readFileSync(join(image(), 'etc/passwd'), 'utf8')).not.toContain('more');
    await carton(['rm', 'deleter']);
  });

  it('a named volume outlives its container and is shared; in use, it cannot be removed', async () => {
    expect((await carton(['volume', 'create', 'data'])).stdout).toBe('data\n');
    expect((await carton(['run', '--rm', '-v', 'data:/data', 'carton/busybox', 'sh', '-c', 'echo 1 > /data/x'])).status).toBe(0);
    expect((await carton(['run', '--rm', '-v', 'data:/data', 'carton/busybox', 'cat', '/data/x'])).stdout).toBe('1\n');
    await carton(['run', '-d', '--name', 'user-of-data', '-v', 'data:/data', 'carton/busybox', 'sleep', '60']);
    const rm = await carton(['volume', 'rm', 'data']);
    expect(rm.status).toBe(1); // a conflict: 1, as Docker's
    expect(rm.stderr).toMatch(/volume data is in use by container user-of-data/);
    await carton(['rm', '-f', 'user-of-data']);
    expect((await carton(['volume', 'ls', '-q'])).stdout).toBe('data\n');
  });

  it('-v /host/dir:/mnt:ro is read-only inside; --tmpfs is writable; --read-only protects the root', async () => {
    mkdirSync(join(host, 'sub'), { recursive: true });
    writeFileSync(join(host, 'sub/file'), 'host data\n');
    const result = await carton(['run', '--rm', '-v', `${join(host, 'sub')}:/mnt:ro`, '--tmpfs', '/scratch', '--read-only', 'carton/busybox', 'sh', '-c',
      'cat /mnt/file; touch /mnt/new 2>/dev/null || echo ro-mnt; echo t > /scratch/t && cat /scratch/t; touch /new 2>/dev/null || echo ro-root']);
    expect(result.stdout).toBe('host data\nro-mnt\nt\nro-root\n');
    expect(existsSync(join(host, 'sub/new'))).toBe(false);
  });

  it('-v with a missing host directory makes it, as Docker\'s -v does, and the container writes into it', async () => {
    const missing = join(tempDir('carton-missing-'), 'not', 'yet');
    const result = await carton(['run', '--rm', '--network', 'none', '-v', `${missing}:/mnt`, 'carton/busybox', 'sh', '-c', 'echo made > /mnt/f']);
    expect(result.status).toBe(0);
    expect(readFileSync(join(missing, 'f'), 'utf8')).toBe('made\n');
    expect(statSync(missing).mode & 0o777).toBe(0o755);
    removeDir(join(missing, '..', '..'));
    expect(mountsUnder(process.env.CARTON_ROOT!)).toEqual([]);
    expect(mountsUnder(process.env.CARTON_RUN!)).toEqual([]);
  });
});
