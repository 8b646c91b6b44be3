// Chapter 03 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const filesystem: Exercise[] = [
  {
    name: 'make-mounts-private',
    chapter: '03-filesystem',
    file: '03-filesystem/mounts.ts',
    functions: ['makeMountsPrivate'],
    test: 'test/03-filesystem/make-mounts-private.test.ts',
    hints: [
      'Mount events propagate between peer mounts. Turn propagation off for / and everything under it, in this mount namespace only.',
      'man 7 mount_namespaces (shared subtrees), man 2 mount (changing the propagation type: no source, no fstype), sys.MS_REC, sys.MS_PRIVATE.',
      'sys.mount(null, "/", null, sys.MS_REC | sys.MS_PRIVATE): no source, no type, just a propagation change for / and everything under it.',
    ],
  },
  {
    name: 'mount-proc',
    chapter: '03-filesystem',
    file: '03-filesystem/mounts.ts',
    functions: ['mountProc'],
    test: 'test/03-filesystem/mount-proc.test.ts',
    hints: [
      'procfs shows the PID namespace of whoever mounts it: create the mount point in the new root and mount a fresh proc there, with the flags a container\'s /proc gets.',
      'man 5 proc, man 2 mount (MS_NOSUID, MS_NODEV, MS_NOEXEC), mkdirSync with recursive.',
      'mkdirSync(join(root, "proc"), { recursive: true }); sys.mount("proc", join(root, "proc"), "proc", sys.MS_NOSUID | sys.MS_NODEV | sys.MS_NOEXEC).',
    ],
  },
  {
    name: 'create-device-nodes',
    chapter: '03-filesystem',
    file: '03-filesystem/dev.ts',
    functions: ['createDeviceNodes'],
    test: 'test/03-filesystem/create-device-nodes.test.ts',
    hints: [
      'A device file is a name for a (major, minor) pair of a driver. Make one character device per entry of DEVICES, readable and writable by everyone.',
      'man 2 mknod (S_IFCHR, makedev), man 4 null, man 4 random; mknod\'s mode goes through the umask (man 2 umask): set the mode again with chmod.',
      'for (const [name, major, minor] of DEVICES) { sys.mknod(join(dev, name), sys.S_IFCHR | 0o666, sys.makedev(major, minor)); chmodSync(join(dev, name), 0o666) }',
    ],
  },
  {
    name: 'pivot-into',
    chapter: '03-filesystem',
    file: '03-filesystem/pivot.ts',
    functions: ['pivotInto'],
    test: 'test/03-filesystem/pivot-into.test.ts',
    hints: [
      'pivot_root swaps the root mount: the new root becomes /, the old root is put somewhere under it, and then you detach the old root.',
      'man 2 pivot_root (NOTES: pivot_root(\'.\', \'.\') with the new root as cwd), man 2 umount (MNT_DETACH), sys.chdir, sys.pivotRoot, sys.umount2.',
      'sys.chdir(newRoot); sys.pivotRoot(".", "."); sys.umount2(".", sys.MNT_DETACH); sys.chdir("/"). An EINVAL from pivot_root means / is still shared or newRoot is not a mount point.',
    ],
  },
  {
    name: 'set-up-root',
    chapter: '03-filesystem',
    file: '03-filesystem/root.ts',
    functions: ['setUpRoot'],
    test: 'test/03-filesystem/set-up-root.test.ts',
    hints: [
      'Two orders are forced on you: a mount namespace whose mounts still propagate to the host must stop doing so before anything else, and pivot_root, which removes the host from view, can only come last, once everything it needs from the host is mounted. In between, a mount point must exist before something is mounted over it, and a mask must be laid over what it hides, not under.',
      'Your makeMountsPrivate, then the root (steps.mountRoot, or bindRootfs), mountProc, mountSys, mountDev and createDeviceNodes on root/dev, the etc files (steps.bindInRoot, or bindFile to join(root, target)), steps.beforeMasks, maskPaths unless steps.unmasked, a remount with sys.MS_BIND | sys.MS_REMOUNT | steps.rootFlags if any, then pivotInto. man 7 mount_namespaces, man 2 pivot_root.',
      'makeMountsPrivate(); (steps.mountRoot ?? bindRootfs)(root); mountProc(root); mountSys(root); mountDev(root); createDeviceNodes(join(root, "dev")); for each [target, source] of etcFiles: bindInRoot or bindFile; steps.beforeMasks?.(root); if (!steps.unmasked) maskPaths(root); if (steps.rootFlags) sys.mount(null, root, null, MS_BIND | MS_REMOUNT | rootFlags); pivotInto(root).',
    ],
  },
];
