// Chapter 03 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const filesystem: Exercise[] = [
  {
    name: 'make-mounts-private',
    chapter: '03-filesystem',
    file: '03-filesystem/mounts.ts',
    functions: ['makeMountsPrivate'],
    test: 'test/03-filesystem/make-mounts-private.test.ts',
    hint: 'sys.mount(null, "/", null, sys.MS_REC | sys.MS_PRIVATE): no source, no type, just a propagation change for / and everything under it.',
  },
  {
    name: 'mount-proc',
    chapter: '03-filesystem',
    file: '03-filesystem/mounts.ts',
    functions: ['mountProc'],
    test: 'test/03-filesystem/mount-proc.test.ts',
    hint: 'mkdirSync(join(root, "proc"), { recursive: true }); sys.mount("proc", join(root, "proc"), "proc", sys.MS_NOSUID | sys.MS_NODEV | sys.MS_NOEXEC).',
  },
  {
    name: 'create-device-nodes',
    chapter: '03-filesystem',
    file: '03-filesystem/dev.ts',
    functions: ['createDeviceNodes'],
    test: 'test/03-filesystem/create-device-nodes.test.ts',
    hint: 'for (const [name, major, minor] of DEVICES) { sys.mknod(join(dev, name), sys.S_IFCHR | 0o666, sys.makedev(major, minor)); chmodSync(join(dev, name), 0o666) }',
  },
  {
    name: 'pivot-into',
    chapter: '03-filesystem',
    file: '03-filesystem/pivot.ts',
    functions: ['pivotInto'],
    test: 'test/03-filesystem/pivot-into.test.ts',
    hint: 'sys.chdir(newRoot); sys.pivotRoot(".", "."); sys.umount2(".", sys.MNT_DETACH); sys.chdir("/"). An EINVAL from pivot_root means / is still shared or newRoot is not a mount point.',
  },
];
