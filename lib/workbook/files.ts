// The learner's files: put one exercise's functions back as they were in the last commit
// (the rest of the file, and any other exercise in it, stay as the learner wrote them), keep
// a backup of what was there, and compare a file with the reference solution.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import ts from 'typescript';
import type { Exercise } from '../exercises/index.js';

function committed(root: string, path: string): string {
  const git = spawnSync('git', ['-C', root, 'show', `HEAD:${path}`], { encoding: 'utf8' });
  if (git.status !== 0) throw new Error(`reset ${path}: git show HEAD:${path} failed: ${git.stderr.trim()}`);
  return git.stdout;
}

/** Where `function name` starts (its export keyword) and ends in `source`, or undefined. */
export function functionRange(source: string, name: string): { start: number; end: number } | undefined {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true);
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) return { start: statement.getStart(file), end: statement.end };
  }
  return undefined;
}

/** Copy the learner's file aside, under .carton-workbook-backups/, and say where. */
export function backup(root: string, path: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = join('.carton-workbook-backups', `${path}.${stamp}`);
  mkdirSync(dirname(join(root, target)), { recursive: true });
  copyFileSync(join(root, path), join(root, target));
  return target;
}

/**
 * Put `exercise`'s functions in exercises/<file> back as the last commit has them; the file's
 * other code is kept. A function the learner renamed or deleted brings back the whole file.
 * Returns the backup's path.
 */
export function restoreExercise(root: string, exercise: Exercise, wholeFile = false): string {
  const path = `exercises/${exercise.file}`;
  const original = committed(root, path);
  const saved = backup(root, path);
  let text = readFileSync(join(root, path), 'utf8');
  for (const fn of exercise.functions) {
    const mine = functionRange(text, fn);
    const theirs = functionRange(original, fn);
    if (wholeFile || !mine || !theirs) {
      text = original;
      break;
    }
    text = text.slice(0, mine.start) + original.slice(theirs.start, theirs.end) + text.slice(mine.end);
  }
  writeFileSync(join(root, path), text);
  return saved;
}

/** Put back the newest backup of exercises/<file> (the current file is backed up first); returns the backup used. */
export function restoreBackup(root: string, exercise: Exercise): string {
  const path = `exercises/${exercise.file}`;
  const dir = join(root, '.carton-workbook-backups', dirname(path));
  const prefix = `${basename(path)}.`;
  const mine = existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith(prefix)).sort() : [];
  if (!mine.length) throw new Error(`no backup of ${path} yet: reset makes one`);
  const newest = join('.carton-workbook-backups', dirname(path), mine[mine.length - 1]);
  backup(root, path);
  copyFileSync(join(root, newest), join(root, path));
  return newest;
}

/** The learner's file against the solution, coloured when `color`. */
export function solutionDiff(root: string, exercise: Exercise, color: boolean): string {
  const git = spawnSync(
    'git',
    ['diff', '--no-index', color ? '--color=always' : '--no-color', `exercises/${exercise.file}`, `solutions/${exercise.file}`],
    { cwd: root, encoding: 'utf8' },
  );
  if (git.status !== 0 && git.status !== 1) throw new Error(`git diff: ${git.stderr.trim()}`);
  return git.stdout || 'Your file is identical to the reference solution.\n';
}
