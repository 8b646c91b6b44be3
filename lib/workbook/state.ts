// Progress, in a small JSON file outside version control: which exercises pass, which the
// learner skipped, how many hints each has shown, which chapters take the reference code
// (lib/impl-name.ts reads that list too), and which chapters' containers ran with the
// learner's code. Every function takes the file's path.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Exercise } from '../exercises/index.js';

export interface Progress {
  done: string[];
  skipped: string[];
  current?: string;
  /** Chapters whose containers and tests use solutions/ although CARTON_IMPL=exercises. */
  skippedChapters: string[];
  /** How many of each exercise's hint steps were shown. */
  hintsShown: Record<string, number>;
  /** Chapters whose container ran with the learner's code since their exercises last passed. */
  containers: string[];
}

export type ChapterStatus = 'done' | 'container not run' | 'in progress' | 'not started' | 'skipped';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function loadProgress(file: string): Progress {
  const empty: Progress = { done: [], skipped: [], skippedChapters: [], hintsShown: {}, containers: [] };
  if (!existsSync(file)) return empty;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const hints = typeof data.hintsShown === 'object' && data.hintsShown !== null ? (data.hintsShown as Record<string, unknown>) : {};
    return {
      done: strings(data.done),
      skipped: strings(data.skipped),
      current: typeof data.current === 'string' ? data.current : undefined,
      skippedChapters: strings(data.skippedChapters),
      hintsShown: Object.fromEntries(Object.entries(hints).filter(([, n]) => typeof n === 'number')) as Record<string, number>,
      containers: strings(data.containers),
    };
  } catch {
    return empty;
  }
}

/** Written whole and renamed into place: a test run and the menu may both record. */
export function saveProgress(file: string, progress: Progress): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(progress, null, 2) + '\n');
  renameSync(temporary, file);
}

function update(file: string, all: Exercise[], change: (p: Progress) => void): Progress {
  const p = loadProgress(file);
  change(p);
  p.current = nextExercise(p, all)?.name;
  saveProgress(file, p);
  return p;
}

/** Record the result of a check; returns the new progress (also saved). */
export function recordResult(file: string, exercise: string, passed: boolean, all: Exercise[]): Progress {
  return update(file, all, (p) => {
    const was = p.done.includes(exercise);
    p.done = p.done.filter((n) => n !== exercise);
    if (passed) {
      p.done.push(exercise);
      p.skipped = p.skipped.filter((n) => n !== exercise);
    }
    // The chapter's code changed from passing to failing (or the reverse): its container must run again.
    const chapter = all.find((e) => e.name === exercise)?.chapter;
    if (chapter && was !== passed) p.containers = p.containers.filter((c) => c !== chapter);
  });
}

export function recordContainer(file: string, chapter: string, ran: boolean, all: Exercise[]): Progress {
  return update(file, all, (p) => {
    p.containers = p.containers.filter((c) => c !== chapter);
    if (ran) p.containers.push(chapter);
  });
}

export function skip(file: string, exercise: string, all: Exercise[]): Progress {
  return update(file, all, (p) => {
    if (!p.skipped.includes(exercise)) p.skipped.push(exercise);
  });
}

/** Skip a whole chapter: its exercises, and its code in every container (the reference's instead). */
export function skipChapter(file: string, chapter: string, all: Exercise[]): Progress {
  return update(file, all, (p) => {
    if (!p.skippedChapters.includes(chapter)) p.skippedChapters.push(chapter);
    for (const e of all.filter((x) => x.chapter === chapter && !p.done.includes(x.name))) if (!p.skipped.includes(e.name)) p.skipped.push(e.name);
  });
}

/** Take a skipped chapter back: the learner's code runs in it again. */
export function resumeChapter(file: string, chapter: string, all: Exercise[]): Progress {
  return update(file, all, (p) => {
    p.skippedChapters = p.skippedChapters.filter((c) => c !== chapter);
    p.skipped = p.skipped.filter((n) => all.find((e) => e.name === n)?.chapter !== chapter);
  });
}

/** One more hint step for `exercise` (up to its last); returns how many are now shown. */
export function showHint(file: string, exercise: Exercise, all: Exercise[]): number {
  let shown = 0;
  update(file, all, (p) => {
    shown = Math.min((p.hintsShown[exercise.name] ?? 0) + 1, exercise.hints.length);
    p.hintsShown[exercise.name] = shown;
  });
  return shown;
}

/** Forget some exercises (or every exercise when `names` is undefined). */
export function forget(file: string, all: Exercise[], names?: string[]): Progress {
  return update(file, all, (p) => {
    const keep = (n: string) => names !== undefined && !names.includes(n);
    const chapters = new Set(all.filter((e) => !keep(e.name)).map((e) => e.chapter));
    p.done = p.done.filter(keep);
    p.skipped = p.skipped.filter(keep);
    p.hintsShown = Object.fromEntries(Object.entries(p.hintsShown).filter(([n]) => keep(n)));
    p.containers = p.containers.filter((c) => !chapters.has(c));
    if (names === undefined) p.skippedChapters = [];
  });
}

/** The first exercise not done and not skipped; if only skipped ones remain, the first of those. */
export function nextExercise(p: Progress, all: Exercise[]): Exercise | undefined {
  const open = all.filter((e) => !p.done.includes(e.name) && !p.skippedChapters.includes(e.chapter));
  return open.find((e) => !p.skipped.includes(e.name)) ?? open[0];
}

/**
 * A chapter is done when its exercises pass and its container has run with them; a skipped
 * chapter runs the reference code.
 */
export function chapterStatus(p: Progress, chapter: string, all: Exercise[]): { status: ChapterStatus; done: number; total: number } {
  const mine = all.filter((e) => e.chapter === chapter);
  const done = mine.filter((e) => p.done.includes(e.name)).length;
  const total = mine.length;
  let status: ChapterStatus = done > 0 ? 'in progress' : 'not started';
  if (total > 0 && done === total) status = p.containers.includes(chapter) ? 'done' : 'container not run';
  else if (p.skippedChapters.includes(chapter)) status = 'skipped';
  return { status, done, total };
}
