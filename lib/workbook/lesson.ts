// Reading a lesson in the terminal: the chapter README with its code includes expanded
// (the same include code as the book), rendered for the terminal, shown through a pager. An
// exercise's reference code is shown only once the learner's own passes.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandIncludes, type AnswerMode } from '../book/include.js';
import type { Exercise } from '../exercises/index.js';
import type { Progress } from './state.js';
import { renderTerminal } from './terminal.js';

export function lessonText(root: string, chapter: string, width: number, progress: Progress): string {
  const file = join(root, 'chapters', chapter, 'README.md');
  if (!existsSync(file)) return `The lesson for ${chapter} is not written yet (${file}).\n`;
  const answers = (e: Exercise): AnswerMode => (progress.done.includes(e.name) ? 'show' : 'hide');
  return renderTerminal(expandIncludes(readFileSync(file, 'utf8'), root, `chapters/${chapter}/README.md`, { answers }), width);
}

function hasLess(): boolean {
  return spawnSync('less', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Show `text` through `less -R` when there is one and stdout is a terminal, else print it. */
export function page(text: string): void {
  if (process.stdout.isTTY && hasLess()) {
    spawnSync('less', ['-R'], { input: text, stdio: ['pipe', 'inherit', 'inherit'] });
  } else {
    process.stdout.write(text);
  }
}
