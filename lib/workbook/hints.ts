// Hints that answer what went wrong: the failing output is matched against known patterns,
// and each match adds a targeted hint next to the exercise's own.
import type { Exercise } from '../exercises/index.js';

interface Pattern {
  test: (output: string) => boolean;
  hint: (exercise: Exercise) => string;
}

const PATTERNS: Pattern[] = [
  {
    test: (o) => /TODO:/.test(o),
    hint: (e) => `this function is still the stub: open exercises/${e.file} and replace the todo(...) call`,
  },
  {
    test: (o) => /\bEPERM\b|Operation not permitted/.test(o),
    hint: () => 'the kernel said EPERM: run as root (sudo npm start)',
  },
  {
    test: (o) => /pivot_root/.test(o) && /\bEINVAL\b/.test(o),
    hint: () => 'pivot_root gave EINVAL: is / still shared? make mounts private first (MS_REC|MS_PRIVATE), and make sure the new root is a mount point',
  },
  {
    test: (o) => /\bENOSYS\b|\bENODEV\b|not supported by (this|the) kernel|unknown filesystem type/i.test(o),
    hint: () => 'a kernel feature seems to be missing: see `carton doctor`',
  },
];

/** Targeted hints for this failing output, most specific last. */
export function targetedHints(output: string, exercise: Exercise): string[] {
  return PATTERNS.filter((p) => p.test(output)).map((p) => p.hint(exercise));
}
