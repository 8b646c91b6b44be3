// Code excerpts in the lessons come from the tested solutions, never from copies: a line
//   <!-- include: solutions/03-filesystem/mounts.ts#bindRootfs -->
// is replaced by the code between `// #region bindRootfs` and `// #endregion bindRootfs` in
// that file, as a ```ts block named by its file. Used by the book and by the workbook's
// terminal reader.
//
// An include of an exercise's own function is its answer, and a lesson never gives an answer
// away: in its place the reader sees which exercise it is and where to write it; the code
// itself appears once the exercise passes (the terminal reader), or collapsed under "after you
// pass" (the book).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exercises, type Exercise } from '../exercises/index.js';

export const INCLUDE = /^<!--\s*include:\s*(\S+?)#([\w-]+)\s*-->\s*$/;

/** What becomes of an exercise's answer: left out, shown (it passed), or collapsed (the book). */
export type AnswerMode = 'hide' | 'show' | 'collapse';

export interface IncludeOptions {
  answers: (exercise: Exercise) => AnswerMode;
}

export class IncludeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncludeError';
  }
}

/** The lines of region `name` in `source`, with the common indentation removed. */
export function extractRegion(source: string, name: string): string | undefined {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l.trim() === `// #region ${name}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && l.trim() === `// #endregion ${name}`);
  if (end < 0) return undefined;
  return dedent(lines.slice(start + 1, end)).join('\n');
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.match(/^\s*/)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut).trimEnd());
}

/** The exercise whose answer `file#region` is, if it is one. */
export function answerOf(file: string, region: string): Exercise | undefined {
  return exercises.find((e) => `solutions/${e.file}` === file && e.functions.includes(region));
}

function block(file: string, region: string, code: string): string {
  return `*${file} — \`${region}\`*\n\n\`\`\`ts\n${code}\n\`\`\``;
}

function answer(exercise: Exercise, file: string, region: string, code: string, mode: AnswerMode): string {
  const task = `> ✎ **Exercise \`${exercise.name}\`**: you write \`${region}\` in \`exercises/${exercise.file}\`.`;
  if (mode === 'show') return `${task} It passes; the reference code:\n\n${block(file, region, code)}`;
  if (mode === 'collapse') return `${task}\n\n<!-- answer: ${exercise.name} -->\n\n${block(file, region, code)}\n\n<!-- /answer -->`;
  return `${task} The reference code appears here once yours passes (\`npm start -- check ${exercise.name}\`).`;
}

/** Replace every include line of `markdown` with the region's code. `where` names the chapter in errors. */
export function expandIncludes(markdown: string, repoRoot: string, where: string, options: IncludeOptions = { answers: () => 'hide' }): string {
  return markdown
    .split('\n')
    .map((line) => {
      const m = INCLUDE.exec(line.trim());
      if (!m) return line;
      const [, file, region] = m;
      const path = join(repoRoot, file);
      if (!existsSync(path)) {
        throw new IncludeError(`${where}: include of \`${file}#${region}\`: the file ${file} does not exist`);
      }
      const code = extractRegion(readFileSync(path, 'utf8'), region);
      if (code === undefined) {
        throw new IncludeError(
          `${where}: include of \`${file}#${region}\`: no \`// #region ${region}\` … \`// #endregion ${region}\` in ${file}`,
        );
      }
      const exercise = answerOf(file, region);
      return exercise ? answer(exercise, file, region, code, options.answers(exercise)) : block(file, region, code);
    })
    .join('\n');
}
