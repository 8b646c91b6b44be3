// Chapter 08 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const oci: Exercise[] = [
  {
    name: 'parse-mount-options',
    chapter: '08-oci',
    file: '08-oci/mount-options.ts',
    functions: ['parseMountOptions'],
    test: 'test/08-oci/mount-options.test.ts',
    hint: 'Keep two tables: word → [flag, set or clear] (ro → MS_RDONLY set, rw → MS_RDONLY clear, rbind → MS_BIND|MS_REC set, …) and word → propagation flag (rshared → MS_SHARED|MS_REC, …). A word in neither is data. Apply flags in order, so that "ro,rw" ends read-write.',
  },
  {
    name: 'namespace-plan',
    chapter: '08-oci',
    file: '08-oci/namespaces.ts',
    functions: ['namespacePlan'],
    test: 'test/08-oci/namespace-plan.test.ts',
    hint: 'A map from the spec\'s names to chapter 02\'s ({ network: "net", mount: "mnt", pid: "pid", … }) without user and time: a type not in it is the error. Then pid sets newPid or pidPath; the others go to join when they have a path, to unshare when not.',
  },
  {
    name: 'status-of',
    chapter: '08-oci',
    file: '08-oci/state.ts',
    functions: ['statusOf'],
    test: 'test/08-oci/status.test.ts',
    hint: 'if (!observed.alive) return "stopped"; then frozen → "paused"; then waiting → "created"; else "running".',
  },
];
