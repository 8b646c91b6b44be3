// Chapter 02 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const namespaces: Exercise[] = [
  {
    name: 'clone-flags',
    chapter: '02-namespaces',
    file: '02-namespaces/namespaces.ts',
    functions: ['cloneFlags'],
    test: 'test/02-namespaces/clone-flags.test.ts',
    hints: [
      'Each namespace type is one bit of the clone/unshare flags; a set of types is the bitwise OR of their bits.',
      'man 7 namespaces (the CLONE_NEW* table), sys.NAMESPACES maps a type to its flag; an unknown type is a CartonError.',
      'let flags = 0; for each type: const f = sys.NAMESPACES[type]; if (f === undefined) throw new sys.CartonError(...); flags |= f.',
    ],
  },
  {
    name: 'namespace-id',
    chapter: '02-namespaces',
    file: '02-namespaces/namespaces.ts',
    functions: ['namespaceId'],
    test: 'test/02-namespaces/namespace-id.test.ts',
    hints: [
      'A namespace is identified by an inode number, which the kernel shows in the link /proc/PID/ns/TYPE.',
      'man 7 namespaces (/proc/[pid]/ns/), readlinkSync, a regular expression for the number between brackets.',
      'readlinkSync(`/proc/${pid}/ns/${type}`) returns e.g. "net:[4026531840]"; /\\[(\\d+)\\]/ extracts the number. It equals statSync of the same path .ino.',
    ],
  },
  {
    name: 'unshare-namespaces',
    chapter: '02-namespaces',
    file: '02-namespaces/namespaces.ts',
    functions: ['unshareNamespaces'],
    test: 'test/02-namespaces/unshare-namespaces.test.ts',
    hints: [
      'unshare moves the calling process into new namespaces, but two types cannot work that way for a running Node: pid (only children enter it) and user (a threaded process may not).',
      'man 2 unshare (EINVAL for CLONE_NEWUSER in a threaded process; CLONE_NEWPID affects children only), your cloneFlags, sys.unshare.',
      'if (types.includes("pid") || types.includes("user")) throw new sys.CartonError("... pid and user ..."); then sys.unshare(cloneFlags(types)).',
    ],
  },
  {
    name: 'spawn-in-pid-namespace',
    chapter: '02-namespaces',
    file: '02-namespaces/pid.ts',
    functions: ['spawnInPidNamespace'],
    test: 'test/02-namespaces/spawn-in-pid-namespace.test.ts',
    hints: [
      'After unshare(CLONE_NEWPID), the next child of this process is PID 1 of a new namespace. Spawn it, then put this process\'s pid_for_children back.',
      'man 2 unshare (CLONE_NEWPID), man 2 setns, /proc/self/ns/pid and /proc/self/ns/pid_for_children, node:child_process spawn.',
      'const fd = openSync("/proc/self/ns/pid", "r"); sys.unshare(sys.CLONE_NEWPID); try { return spawn(command, args, options) } finally { sys.setns(fd, sys.CLONE_NEWPID); closeSync(fd) }',
    ],
  },
];
