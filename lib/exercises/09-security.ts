// Chapter 09 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const security: Exercise[] = [
  {
    name: 'resolve-capabilities',
    chapter: '09-security',
    file: '09-security/capabilities.ts',
    functions: ['resolveCapabilities'],
    test: 'test/09-security/resolve-capabilities.test.ts',
    hints: [
      'Start from Docker\'s default set, apply --cap-drop then --cap-add (ALL meaning every capability), and keep the kernel\'s order.',
      'man 7 capabilities; Docker\'s docs for --cap-add/--cap-drop; capabilityNumber and CAPABILITIES in the same chapter.',
      'Normalise every name first (upper case, CAP_ in front unless it is ALL) and check it with capabilityNumber. Then work on a set: start from DEFAULT_CAPABILITIES (or nothing, if ALL is dropped), remove the drops, add the adds (everything, if ALL is added). --privileged skips all of that. Return CAPABILITIES filtered by the set, to keep their order.',
    ],
  },
  {
    name: 'seccomp-applies',
    chapter: '09-security',
    file: '09-security/profile.ts',
    functions: ['applies'],
    test: 'test/09-security/applies.test.ts',
    hints: [
      'A rule of Docker\'s seccomp profile applies only when its includes hold and its excludes do not (capabilities, architectures, kernel version).',
      'moby\'s profiles/seccomp/default.json (includes/excludes), kernelAtLeast in the same chapter.',
      'Treat a missing or empty list as "no condition". includes: caps → every one in target.caps; arches → target.arch among them; minKernel → kernelAtLeast(target.kernel, minKernel). excludes: caps → none of them held; arches → target.arch not among them.',
    ],
  },
  {
    name: 'drop-bounding-set',
    chapter: '09-security',
    file: '09-security/apply.ts',
    functions: ['dropBoundingSet'],
    test: 'test/09-security/drop-bounding-set.test.ts',
    hints: [
      'The bounding set limits which capabilities a process can ever gain again; drop every one not kept, from 0 to the kernel\'s last.',
      'man 7 capabilities (bounding set), man 2 prctl (PR_CAPBSET_DROP), /proc/sys/kernel/cap_last_cap; sys.dropBounding.',
      'Turn keep into a set of numbers with capabilityNumber; then for every cap from 0 to lastCap that is not in it, sys.dropBounding(cap). Dropping one the kernel already dropped is not an error.',
    ],
  },
  {
    name: 'confine',
    chapter: '09-security',
    file: '09-security/apply.ts',
    functions: ['confine'],
    test: 'test/09-security/confine.test.ts',
    hints: [
      'Four things to do to yourself, each taking something away. Do first what needs the most privilege, and last what would judge everything after it.',
      'drop(config.capabilities, lastCap) for the bounding set; sys.prctl(sys.PR_CAP_AMBIENT, sys.PR_CAP_AMBIENT_CLEAR_ALL); sys.prctl(sys.PR_SET_NO_NEW_PRIVS, 1) when config.noNewPrivileges; sys.seccompFilter(Buffer.from(config.seccomp, "base64")) when there is one. man 2 prctl, man 2 seccomp (SECCOMP_SET_MODE_FILTER, EACCES), man 7 capabilities.',
      'drop(config.capabilities, lastCap); sys.prctl(sys.PR_CAP_AMBIENT, sys.PR_CAP_AMBIENT_CLEAR_ALL); if (config.noNewPrivileges) sys.prctl(sys.PR_SET_NO_NEW_PRIVS, 1); if (config.seccomp) sys.seccompFilter(Buffer.from(config.seccomp, "base64"));',
    ],
  },
];
