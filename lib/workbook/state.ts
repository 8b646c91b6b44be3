// Progress, in a small JSON file outside version control: which exercises pass, which the
// learner skipped, and which one they are on. Every function takes the file's path.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Exercise } from '../exercises/index.js';

export interface Progress {
  done: string[];
  skipped: string[];
  current?: string;
}

export type ChapterStatus = 'done' | 'in progress' | 'not started';

export function loadProgress(file: string): Progress {
  if (!existsSync(file)) return { done: [], skipped: [] };
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<Progress>;
    return { done: data.done ?? [], skipped: data.skipped ?? [], current: data.current };
  } catch {
    return { done: [], skipped: [] };
  }
}

export function saveProgress(file: string, progress: Progress): void {
  writeFileSync(file, JSON.stringify(progress, null, 2) + '\n');
}

/** Record the result of a check; returns the new progress (also saved). */
export function recordResult(file: string, exercise: string, passed: boolean, all: Exercise[]): Progress {
  const p = loadProgress(file);
  p.done = p.done.filter((n) => n !== exercise);
  if (passed) {
    p.done.push(exercise);
    p.skipped = p.skipped.filter((n) => n !== exercise);
  }
  p.current = nextExercise(p, all)?.name;
  saveProgress(file, p);
  return p;
}

export function skip(file: string, exercise: string, all: Exercise[]): Progress {
  const p = loadProgress(file);
  if (!p.skipped.includes(exercise)) p.skipped.push(exercise);
  p.current = nextExercise(p, all)?.name;
  saveProgress(file, p);
  return p;
}

/** Forget one exercise (or every exercise when `names` is undefined). */
export function forget(file: string, all: Exercise[], names?: string[]): Progress {
  const p = loadProgress(file);
  const drop = (n: string) => names !== undefined && !names.includes(n);
  p.done = p.done.filter(drop);
  p.skipped = p.skipped.filter(drop);
  p.current = nextExercise(p, all)?.name;
  saveProgress(file, p);
  return p;
}

/** The first exercise not done and not skipped; if only skipped ones remain, the first of those. */
export function nextExercise(p: Progress, all: Exercise[]): Exercise | undefined {
  const open = all.filter((e) => !p.done.includes(e.name));
  return open.find((e) => !p.skipped.includes(e.name)) ?? open[0];
}

export function chapterStatus(p: Progress, chapter: string, all: Exercise[]): { status: ChapterStatus; done: number; total: number } {
  const mine = all.filter((e) => e.chapter === chapter);
  const done = mine.filter((e) => p.done.includes(e.name)).length;
  const status = mine.length > 0 && done === mine.length ? 'done' : done > 0 ? 'in progress' : 'not started';
  return { status, done, total: mine.length };
}
