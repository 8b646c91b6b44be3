// The non-interactive workbook: `npm start -- list | check | hint | watch | reset | solution |
// skip-chapter | resume-chapter`.
import chalk from 'chalk';
import { chapters, exercises, findExercise, type Exercise } from '../exercises/index.js';
import { checkExercise, type CheckResult } from './check.js';
import { containerRuns } from './container.js';
import { restoreBackup, restoreExercise, solutionDiff } from './files.js';
import { statePath, workbookRoot } from './paths.js';
import { hintText, resultText, statusMark } from './report.js';
import { chapterStatus, forget, loadProgress, recordResult, resumeChapter, showHint, skipChapter } from './state.js';

export class UsageError extends Error {}

export function findChapter(what: string | undefined) {
  return what ? chapters.find((c) => c.dir === what || c.dir.split('-')[0] === what.padStart(2, '0')) : undefined;
}

/** Exercises named by `what`: an exercise name, a chapter dir (`01-chroot`) or number (`01`, `1`). */
export function select(what: string | undefined): Exercise[] {
  if (!what) throw new UsageError('name an exercise or a chapter (npm start -- list shows them)');
  const one = findExercise(what);
  if (one) return [one];
  const chapter = findChapter(what);
  if (chapter) return exercises.filter((e) => e.chapter === chapter.dir);
  throw new UsageError(`no exercise or chapter called "${what}" (npm start -- list shows them)`);
}

export function list(): string {
  const p = loadProgress(statePath());
  const lines: string[] = [];
  for (const c of chapters) {
    const s = chapterStatus(p, c.dir, exercises);
    lines.push(`${chalk.bold(c.dir)}  ${c.title}  ${chalk.dim(s.total ? `${s.done}/${s.total} ${s.status}` : 'lesson only')}`);
    for (const e of exercises.filter((x) => x.chapter === c.dir)) lines.push(`  ${statusMark(p, e)} ${e.name}  ${chalk.dim(`exercises/${e.file}`)}`);
  }
  return lines.join('\n');
}

/**
 * Check exercises one by one, printing and recording each result; a chapter whose exercises
 * all pass then has its container tried, since a chapter is done only when that runs too.
 */
export async function check(targets: Exercise[], print: (line: string) => void): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const e of targets) {
    print(chalk.dim(`checking ${e.name} (${e.test}) ...`));
    const r = await checkExercise(workbookRoot(), e);
    if (!r.skipped) recordResult(statePath(), e.name, r.passed, exercises);
    print(resultText(r));
    results.push(r);
  }
  const p = loadProgress(statePath());
  for (const dir of new Set(targets.map((e) => e.chapter))) {
    if (chapterStatus(p, dir, exercises).status === 'container not run') containerRuns(dir, print);
  }
  return results;
}

/** The next hint step of `e` (and the ones before it). */
export function hint(e: Exercise): string {
  return hintText(e, showHint(statePath(), e, exercises));
}

/**
 * An exercise name puts back only that exercise's functions (the rest of its file stays as the
 * learner wrote it); a chapter, or `all`, puts back whole files. A backup is kept each time.
 */
export function reset(what: string | undefined): string {
  const one = what && what !== 'all' ? findExercise(what) : undefined;
  if (one) {
    const saved = restoreExercise(workbookRoot(), one);
    forget(statePath(), exercises, [one.name]);
    return `restored ${one.functions.join(', ')} in exercises/${one.file} (the rest of the file is as you left it) and forgot its progress; your version is kept in ${saved}`;
  }
  const targets = what === 'all' ? exercises : select(what);
  const files = [...new Set(targets.map((e) => e.file))];
  files.forEach((file) => restoreExercise(workbookRoot(), targets.find((e) => e.file === file)!, true));
  // A file can hold several exercises (exec.ts: look-path and exec-program): forget them all.
  forget(statePath(), exercises, what === 'all' ? undefined : exercises.filter((e) => files.includes(e.file)).map((e) => e.name));
  return `restored ${files.map((f) => `exercises/${f}`).join(', ')} and forgot their progress; your versions are kept in .carton-workbook-backups/`;
}

/** Undo a reset: the newest backup of the exercise's file comes back (what is there now is kept too). */
export function restore(what: string | undefined): string {
  const e = what ? findExercise(what) : undefined;
  if (!e) throw new UsageError('name an exercise whose file you reset (npm start -- list shows them)');
  try {
    return `put back exercises/${e.file} from ${restoreBackup(workbookRoot(), e)}; check it again with npm start -- check ${e.name}`;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function solution(e: Exercise): string {
  if (!loadProgress(statePath()).done.includes(e.name)) {
    throw new UsageError(`${e.name} has not passed yet: check it first (npm start -- check ${e.name}); the solution is shown once it passes`);
  }
  return solutionDiff(workbookRoot(), e, chalk.level > 0);
}

export function skipChapterCommand(what: string | undefined): string {
  const c = findChapter(what);
  if (!c) throw new UsageError(`name a chapter to skip (npm start -- list shows them)`);
  skipChapter(statePath(), c.dir, exercises);
  return `skipped ${c.dir}: its exercises wait, and with CARTON_IMPL=exercises its code is the reference solution's, so later chapters' containers run (npm start -- resume-chapter ${c.dir.split('-')[0]} takes it back)`;
}

export function resumeChapterCommand(what: string | undefined): string {
  const c = findChapter(what);
  if (!c) throw new UsageError(`name a chapter to resume (npm start -- list shows them)`);
  resumeChapter(statePath(), c.dir, exercises);
  return `resumed ${c.dir}: with CARTON_IMPL=exercises its code is yours again`;
}
