// The implementation switch: CARTON_IMPL=exercises runs the learner's code (exercises/),
// anything else unset runs the reference solutions (solutions/). Used by the tests
// (vitest.config.ts), the CLI and the container stage alike.
//
// A learner who skipped a chapter still wants the later chapters' containers to run, so the
// switch is per chapter: with CARTON_IMPL=exercises, the chapters named in CARTON_SOLUTIONS
// ("3", "03-filesystem", "1-4", comma-separated; "" for none) take the reference code. When
// CARTON_SOLUTIONS is unset, the chapters the workbook marked as skipped do
// (`skippedChapters` in its progress file, .carton-workbook.json).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ImplName = 'solutions' | 'exercises';

export function implName(value: string | undefined): ImplName {
  if (value === undefined || value === '' || value === 'solutions') return 'solutions';
  if (value === 'exercises') return 'exercises';
  throw new Error(`CARTON_IMPL must be "solutions" or "exercises", not "${value}"`);
}

/** The chapter numbers a CARTON_SOLUTIONS value names: "3,5", "03-filesystem", "1-4". */
export function parseChapterList(value: string): number[] {
  const numbers: number[] = [];
  for (const item of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const range = /^(\d+)-(\d+)$/.exec(item);
    const one = /^(\d+)(-[a-z][\w-]*)?$/.exec(item);
    if (range) for (let n = Number(range[1]); n <= Number(range[2]); n++) numbers.push(n);
    else if (one) numbers.push(Number(one[1]));
    else throw new Error(`CARTON_SOLUTIONS: "${item}" is not a chapter (use numbers such as 3 or 1-4, or directories such as 03-filesystem)`);
  }
  return numbers;
}

/** The repository this file belongs to (it runs from lib/ or from dist/lib/). */
export function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The copy of the repository the workbook works on: CARTON_WORKBOOK_ROOT (tests use a temporary copy), else this one. */
export function workbookRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.CARTON_WORKBOOK_ROOT || repositoryRoot();
}

/** The workbook's progress file: CARTON_WORKBOOK_STATE, else .carton-workbook.json in its root. */
export function progressFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.CARTON_WORKBOOK_STATE || join(workbookRoot(env), '.carton-workbook.json');
}

function skippedChapters(file: string): number[] {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { skippedChapters?: unknown };
    return Array.isArray(data.skippedChapters) ? data.skippedChapters.filter((c): c is string => typeof c === 'string').map((c) => parseInt(c, 10)) : [];
  } catch {
    return []; // no progress yet, or a file the workbook will rewrite
  }
}

/** The chapters that take solutions/ even under CARTON_IMPL=exercises. */
export function solutionChapters(env: NodeJS.ProcessEnv = process.env): number[] {
  if (env.CARTON_SOLUTIONS !== undefined) return parseChapterList(env.CARTON_SOLUTIONS);
  return skippedChapters(progressFile(env));
}

/** Which implementation chapter `dir` (e.g. "03-filesystem") runs. */
export function implFor(dir: string, impl: ImplName, solved: number[]): ImplName {
  return impl === 'exercises' && solved.includes(parseInt(dir, 10)) ? 'solutions' : impl;
}
