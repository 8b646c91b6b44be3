// Chapter 08 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const oci: Exercise[] = [
  {
    name: 'parse-mount-options',
    chapter: '08-oci',
    file: '08-oci/mount-options.ts',
    functions: ['parseMountOptions'],
    test: 'test/08-oci/mount-options.test.ts',
    hints: [
      'A spec\'s mount options are words that either set or clear mount flags, set propagation, or are passed to the filesystem as data.',
      'man 8 mount (options), man 2 mount (MS_* flags), runc\'s libcontainer/specconv mount options table.',
      'Keep two tables: word → [flag, set or clear] (ro → MS_RDONLY set, rw → MS_RDONLY clear, rbind → MS_BIND|MS_REC set, …) and word → propagation flag (rshared → MS_SHARED|MS_REC, …). A word in neither is data. Apply flags in order, so that "ro,rw" ends read-write.',
    ],
  },
  {
    name: 'namespace-plan',
    chapter: '08-oci',
    file: '08-oci/namespaces.ts',
    functions: ['namespacePlan'],
    test: 'test/08-oci/namespace-plan.test.ts',
    hints: [
      'The spec lists namespaces by the spec\'s names, each either new or joined by path; turn that into chapter 02\'s types and a plan of what to unshare, join, and how to get a PID namespace.',
      'the OCI runtime spec\'s config-linux.md (namespaces); your chapter 02 types; an unknown type is an error naming it.',
      'A map from the spec\'s names to chapter 02\'s ({ network: "net", mount: "mnt", pid: "pid", … }) without user and time: a type not in it is the error. Then pid sets newPid or pidPath; the others go to join when they have a path, to unshare when not.',
    ],
  },
  {
    name: 'status-of',
    chapter: '08-oci',
    file: '08-oci/state.ts',
    functions: ['statusOf'],
    test: 'test/08-oci/status.test.ts',
    hints: [
      'A container\'s state follows from what can be seen of its process: gone, frozen, still waiting on the exec fifo, or running.',
      'the OCI runtime spec\'s runtime.md (state: created, running, stopped) and runc\'s paused.',
      'if (!observed.alive) return "stopped"; then frozen → "paused"; then waiting → "created"; else "running".',
    ],
  },
  {
    name: 'release-init',
    chapter: '08-oci',
    file: '08-oci/fifo.ts',
    functions: ['releaseInit'],
    test: 'test/08-oci/release-init.test.ts',
    hints: [
      'The init is blocked in open(2) or write(2) on the fifo until a reader comes. Be that reader without ever blocking yourself: open so that the open returns at once, then try to read the one byte again and again, with a pause between tries, until it comes; between tries, ask whether the init is still alive. Close what you opened and remove the fifo at the end.',
      'openSync(fifo, sys.O_RDONLY | sys.O_NONBLOCK); readSync(fd, buffer, 0, 1, null) returns 1 (the byte), 0 (no writer yet: EOF) or throws EAGAIN (a writer, no byte yet); await a few milliseconds between tries (setTimeout in a Promise); closeSync in a finally; rmSync(fifo, { force: true }). man 7 fifo, man 7 pipe ("I/O on pipes and FIFOs").',
      'const fd = openSync(fifo, sys.O_RDONLY | sys.O_NONBLOCK); try { for (;;) { let n; try { n = readSync(fd, byte, 0, 1, null) } catch (e) { if (e.code !== "EAGAIN") throw e; n = -1 } if (n === 1) break; if (!initAlive()) throw new CartonError("cannot start the container: its init exited"); await sleep(2) } } finally { closeSync(fd) } rmSync(fifo, { force: true });',
    ],
  },
];
