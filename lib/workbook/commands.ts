// The non-interactive workbook: `npm start -- list | check | hint | watch | reset | solution`.
import chalk from 'chalk';
import { chapters, exercises, findExercise, type Exercise } from '../exercises/index.js';
import { checkExercise, type CheckResult } from './check.js';
import { restoreExercise, solutionDiff } from './files.js';
import { statePath, workbookRoot } from './paths.js';
import { hintText, resultText, statusMark } from './report.js';
import { chapterStatus, forget, loadProgress, recordResult } from './state.js';

export class UsageError extends Error {}

/** Exercises named by `what`: an exercise name, a chapter dir (`01-chroot`) or number (`01`, `1`). */
export function select(what: string | undefined): Exercise[] {
  if (!what) throw new UsageError('name an exercise or a chapter (npm start -- list shows them)');
  const one = findExercise(what);
  if (one) return [one];
  const chapter = chapters.find((c) => c.dir === what || c.dir.split('-')[0] === what.padStart(2, '0'));
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

/** Check exercises one by one, printing and recording each result. */
export async function check(targets: Exercise[], print: (line: string) => void): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const e of targets) {
    print(chalk.dim(`checking ${e.name} (${e.test}) ...`));
    const r = await checkExercise(workbookRoot(), e);
    if (!r.skipped) recordResult(statePath(), e.name, r.passed, exercises);
    print(resultText(r));
    results.push(r);
  }
  return results;
}

export function hint(e: Exercise): string {
  return hintText(e);
}

export function reset(what: string | undefined): string {
  const targets = what === 'all' ? exercises : select(what);
  for (const e of targets) restoreExercise(workbookRoot(), e);
  // A file can hold several exercises (exec.ts: look-path and exec-program): forget them all.
  const touched = exercises.filter((e) => targets.some((t) => t.file === e.file)).map((e) => e.name);
  forget(statePath(), exercises, what === 'all' ? undefined : touched);
  const files = [...new Set(targets.map((e) => `exercises/${e.file}`))];
  return `restored ${files.join(', ')} and forgot their progress`;
}

export function solution(e: Exercise): string {
  if (!loadProgress(statePath()).done.includes(e.name)) {
    throw new UsageError(`${e.name} has not passed yet: check it first (npm start -- check ${e.name}); the solution is shown once it passes`);
  }
  return solutionDiff(workbookRoot(), e, chalk.level > 0);
}
