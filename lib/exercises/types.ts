// The ordered list of exercises: the workbook walks it, the checker proves it. Each entry
// names the learner's file (under exercises/, with a twin of the same path under
// solutions/), the test file that checks it, and hints in steps for when the learner is stuck.
export interface Exercise {
  /** Unique, kebab-case, used on the command line: `npm start -- hint enter-root`. */
  name: string;
  /** The chapter directory, e.g. `01-chroot`. */
  chapter: string;
  /** Path relative to exercises/ (and to solutions/). */
  file: string;
  /** The function(s) the learner writes, as shown in the lesson. */
  functions: string[];
  /** Test file, relative to the repository root. */
  test: string;
  /**
   * Hints in steps, shown one at a time and only when asked for (`npm start -- hint NAME`):
   * the idea, then the system calls and man pages, then a near-answer.
   */
  hints: [idea: string, calls: string, nearAnswer: string];
}
