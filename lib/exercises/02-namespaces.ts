// Chapter 02 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const namespaces: Exercise[] = [
  {
    name: 'clone-flags',
    chapter: '02-namespaces',
    file: '02-namespaces/namespaces.ts',
    functions: ['cloneFlags'],
    test: 'test/02-namespaces/clone-flags.test.ts',
    hint: 'let flags = 0; for each type: const f = sys.NAMESPACES[type]; if (f === undefined) throw new sys.CartonError(...); flags |= f.',
  },
  {
    name: 'namespace-id',
    chapter: '02-namespaces',
    file: '02-namespaces/namespaces.ts',
    functions: ['namespaceId'],
    test: 'test/02-namespaces/namespace-id.test.ts',
    hint: 'readlinkSync(`/proc/${pid}/ns/${type}`) returns e.g. "net:[4026531840]"; /\\[(\\d+)\\]/ extracts the number. It equals statSync of the same path .ino.',
  },
  {
    name: 'unshare-namespaces',
    chapter: '02-namespaces',
    file: '02-namespaces/namespaces.ts',
    functions: ['unshareNamespaces'],
    test: 'test/02-namespaces/unshare-namespaces.test.ts',
    hint: 'if (types.includes("pid") || types.includes("user")) throw new sys.CartonError("... pid and user ..."); then sys.unshare(cloneFlags(types)).',
  },
  {
    name: 'spawn-in-pid-namespace',
    chapter: '02-namespaces',
    file: '02-namespaces/pid.ts',
    functions: ['spawnInPidNamespace'],
    test: 'test/02-namespaces/spawn-in-pid-namespace.test.ts',
    hint: 'const fd = openSync("/proc/self/ns/pid", "r"); sys.unshare(sys.CLONE_NEWPID); try { return spawn(command, args, options) } finally { sys.setns(fd, sys.CLONE_NEWPID); closeSync(fd) }',
  },
];
