// How results look: one line per exercise, the first failing assertion, the hints.
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
  lines.push(indent(`${chalk.cyan('hint:')} ${r.exercise.hint}`));
  for (const h of r.hints) lines.push(indent(`${chalk.yellow('hint:')} ${h}`));
  return lines.join('\n');
}

export function hintText(e: Exercise): string {
  return `${chalk.bold(e.name)} (exercises/${e.file}: ${e.functions.join(', ')})\n${indent(`${chalk.cyan('hint:')} ${e.hint}`)}`;
}

export function statusMark(p: Progress, e: Exercise): string {
  if (p.done.includes(e.name)) return chalk.green('✓');
  if (p.skipped.includes(e.name)) return chalk.yellow('»');
  return p.current === e.name ? chalk.cyan('→') : chalk.dim('·');
}

function indent(text: string): string {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}
