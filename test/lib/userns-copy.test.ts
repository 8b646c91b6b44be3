// --userns=private where a layer cannot be idmapped: its image store's layers live on a
// ramfs, which does not allow idmapped mounts (mount_setattr: EINVAL), as on a kernel
// before 5.12. carton then runs the container over a copy of each layer whose owners are
// shifted into the range, made once and kept in the store until the layer goes. Checked
// from the kernel's side: the overlay's lowerdir, the copy's owners and modes, its reuse,
// the file capabilities rewritten for the namespace, and gc.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as sys from '../../lib/sys/index.js';
import { shiftOwners } from '../../lib/runtime/shifted-layers.js';
import { carton, isRoot, mountsUnder, removeDir, tempDir } from '../helpers/index.js';

const dir = tempDir('carton-userns-copy-');
chmodSync(dir, 0o711);
const subid = join(dir, 'subid');
writeFileSync(subid, 'carton:200000:65536\n');
const root = join(dir, 'lib');
const env = { CARTON_SUBUID: subid, CARTON_SUBGID: subid, CARTON_ROOT: root, CARTON_RUN: join(dir, 'run') };
const run = (args: string[]) => carton(args, { env });
const layers = join(root, 'images/layers');
const range = join(root, 'images/shifted/200000-200000');

/** struct vfs_cap_data, revision 2: CAP_NET_RAW (13) permitted, the effective flag set. */
function capabilityV2(): Buffer {
  const caps = Buffer.alloc(20);
  caps.writeUInt32LE(0x02000000 | 1, 0);
  caps.writeUInt32LE(1 << 13, 4);
  return caps;
}

describe.skipIf(!isRoot)('--userns=private without idmapped mounts: shifted copies of the layers (needs root)', () => {
  afterAll(async () => {
    await run(['rm', '-f', 'copy1']);
    for (const m of mountsUnder(dir).reverse()) sys.umount2(m, sys.MNT_DETACH);
    removeDir(dir);
  });

  it('shiftOwners: owners into the range, setuid and setgid kept, file capabilities rewritten for the namespace\'s root', () => {
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'bin'), { recursive: true });
    writeFileSync(join(tree, 'bin/su'), 'x');
    chmodSync(join(tree, 'bin/su'), 0o6755);
    writeFileSync(join(tree, 'bin/ping'), 'x');
    sys.lsetxattr(join(tree, 'bin/ping'), 'security.capability', capabilityV2());
    symlinkSync('/etc/shadow', join(tree, 'bin/link'));
    shiftOwners(tree, { uid: 200000, gid: 300000, size: 65536 });
    for (const path of ['', 'bin', 'bin/su', 'bin/ping', 'bin/link']) {
      const st = lstatSync(join(tree, path));
      expect([path, st.uid, st.gid]).toEqual([path, 200000, 300000]);
    }
    expect(statSync(join(tree, 'bin/su')).mode & 0o7777).toBe(0o6755);
    // Read back from the host: a revision-3 xattr whose root is the range's first uid.
    const caps = sys.lgetxattr(join(tree, 'bin/ping'), 'security.capability')!;
    expect([caps.length, caps.readUInt32LE(0), caps.readUInt32LE(4), caps.readUInt32LE(20)]).toEqual([24, 0x03000000 | 1, 1 << 13, 200000]);
    // A symlink is never followed: the host's file kept its owner.
    expect(statSync('/etc/shadow').uid).toBe(0);
  });

  it('runs over shifted copies when the layers\' filesystem refuses idmapping, and reuses them', async () => {
    // A one-layer image with a setuid file, imported into this test's own store.
    const image = join(dir, 'image');
    mkdirSync(join(image, 'bin'), { recursive: true });
    copyFileSync('/usr/bin/busybox', join(image, 'bin/busybox'));
    chmodSync(join(image, 'bin/busybox'), 0o755);
    for (const name of ['sh', 'id', 'stat', 'sleep', 'cat', 'touch']) symlinkSync('busybox', join(image, 'bin', name));
    copyFileSync('/usr/bin/busybox', join(image, 'bin/sbb'));
    chmodSync(join(image, 'bin/sbb'), 0o4755);
    execFileSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', image, '-cf', join(dir, 'image.tar'), '.']);
    const imported = await run(['import', join(dir, 'image.tar'), 'copytest:1']);
    expect(imported.status, imported.stderr).toBe(0);
    // Its layers onto a ramfs.
    renameSync(layers, layers + '.disk');
    mkdirSync(layers);
    sys.mount('ramfs', layers, 'ramfs', 0, 'mode=755');
    execFileSync('cp', ['-a', layers + '.disk/.', layers]);
    removeDir(layers + '.disk');
    const [hex] = readdirSync(layers).filter((n) => !n.endsWith('.json'));

    const started = await run(['run', '-d', '--name', 'copy1', '--network', 'none', '--userns=private', 'copytest:1', 'sh', '-c', 'touch /made; exec sleep 300']);
    expect([started.status, started.stderr]).toEqual([0, '']);
    const pid = JSON.parse((await run(['inspect', 'copy1'])).stdout)[0].State.Pid as number;
    // The container's overlay is over the copy, not the ramfs layer.
    const overlay = readFileSync(`/proc/${pid}/mountinfo`, 'utf8').split('\n').find((l) => l.split(' ')[4] === '/')!;
    expect(overlay).toContain(`lowerdir=${join(range, hex)}`);
    // On the host the copy is the range's, with the setuid bit; inside it is root's.
    const copy = statSync(join(range, hex, 'bin/sbb'));
    expect([copy.uid, copy.gid, copy.mode & 0o7777]).toEqual([200000, 200000, 0o4755]);
    expect(statSync(join(layers, hex, 'bin/sbb')).uid).toBe(0); // the layer itself is untouched
    const inside = await run(['exec', 'copy1', 'sh', '-c', 'id -u; stat -c "%u %a" /bin/sbb /made']);
    expect(inside.stdout.trim().split('\n')).toEqual(['0', '0 4755', '0 644']);
    // A second container reuses the same copy.
    const ino = statSync(join(range, hex)).ino;
    const again = await run(['run', '--rm', '--network', 'none', '--userns=private', 'copytest:1', 'id', '-u']);
    expect([again.status, again.stdout, again.stderr]).toEqual([0, '0\n', '']);
    expect(statSync(join(range, hex)).ino).toBe(ino);
    expect(readdirSync(join(root, 'images/tmp'))).toEqual([]);

    // The copy goes with its layer: gc after rmi removes it; nothing is left mounted.
    expect((await run(['rm', '-f', 'copy1'])).status).toBe(0);
    expect((await run(['rmi', 'copytest:1'])).status).toBe(0);
    expect(readdirSync(range)).toEqual([]);
    expect(mountsUnder(join(dir, 'run'))).toEqual([]);
  });
});
