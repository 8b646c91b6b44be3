// How results look: one line per exercise, the whole failing assertion with the code where it
// happened, and hints about what went wrong. The exercise's own hint steps are shown only
// when asked for (hintText).
import chalk from 'chalk';
import type { Exercise } from '../exercises/index.js';
import type { CheckResult } from './check.js';
import type { Progress } from './state.js';

export function resultText(r: CheckResult): string {
  const name = chalk.bold(r.exercise.name);
  if (r.passed) return `${chalk.green('✓ pass')}  ${name}  ${chalk.dim(`exercises/${r.exercise.file}`)}`;
  if (r.skipped) return `${chalk.yellow('- skipped')}  ${name}  ${chalk.dim('(its tests were skipped: do they need root? try sudo npm start)')}`;
  const lines = [`${chalk.red('✗ fail')}  ${name}  ${chalk.dim(`exercises/${r.exercise.file}`)}`];
  if (r.message) lines.push(indent(chalk.red(r.message)));
  if (r.frame) lines.push('', indent(chalk.dim(r.frame)));
  for (const h of r.hints) lines.push(indent(`${chalk.yellow('note:')} ${h}`));
  lines.push(indent(chalk.dim(`stuck? npm start -- hint ${r.exercise.name} (one step at a time)`)));
  return lines.join('\n');
}

/** What to write, and no more: the exercise's file and functions. */
export function taskText(e: Exercise): string {
  return `${chalk.bold(e.name)}: write ${e.functions.join(', ')} in exercises/${e.file} (the lesson of ${e.chapter} explains it)`;
}

const STEPS = ['the idea', 'the system calls and man pages', 'nearly the answer'];

/** The first `shown` hint steps of `e`. */
export function hintText(e: Exercise, shown: number): string {
  const lines = [`${chalk.bold(e.name)} (exercises/${e.file}: ${e.functions.join(', ')})`];
  e.hints.slice(0, shown).forEach((h, i) => lines.push(indent(`${chalk.cyan(`hint ${i + 1}/${e.hints.length}, ${STEPS[i] ?? ''}:`)} ${h}`)));
  lines.push(indent(chalk.dim(shown < e.hints.length ? `ask again for the next step (npm start -- hint ${e.name})` : 'that was the last step; the reference solution opens once yours passes')));
  return lines.join('\n');
}

export function statusMark(p: Progress, e: Exercise): string {
  if (p.done.includes(e.name)) return chalk.green('✓');
  if (p.skippedChapters.includes(e.chapter)) return chalk.dim('s');
  if (p.skipped.includes(e.name)) return chalk.yellow('»');
  return p.current === e.name ? chalk.cyan('→') : chalk.dim('·');
}

function indent(text: string): string {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}
