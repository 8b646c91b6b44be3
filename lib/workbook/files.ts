// The learner's files: restore one from git, compare it with the reference solution.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exercise } from '../exercises/index.js';

/** Put exercises/<file> back as it is in the last commit. */
export function restoreExercise(root: string, exercise: Exercise): void {
  const path = `exercises/${exercise.file}`;
  const git = spawnSync('git', ['-C', root, 'show', `HEAD:${path}`], { encoding: 'utf8' });
  if (git.status !== 0) throw new Error(`reset ${path}: git show HEAD:${path} failed: ${git.stderr.trim()}`);
  writeFileSync(join(root, path), git.stdout);
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
