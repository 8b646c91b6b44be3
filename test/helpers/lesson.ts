// A lesson's commands, for the tests that prove they work as written. Every ```sh block of a
// chapter README is runnable and carries a name in the comment line above it:
//   <!-- test: run -->
// and test/NN-chapter/lesson.test.ts runs it by that name (test/book/lesson-blocks.test.ts
// checks that every block is named and run). Illustrations that are not to be typed as they
// stand (a transcript, a fork bomb) are fenced as ```text or ```console instead.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { collect, repo } from './index.js';

export interface LessonBlock {
  name: string;
  lines: string[];
}

/** Every sh block of a chapter's README, with its test name (undefined when it has none). */
export function lessonBlocks(chapter: string, root = repo): { name?: string; lines: string[] }[] {
  const readme = readFileSync(join(root, 'chapters', chapter, 'README.md'), 'utf8');
  const blocks: { name?: string; lines: string[] }[] = [];
  for (const m of readme.matchAll(/(?:<!--\s*test:\s*([\w-]+)\s*-->\n)?```sh\n([\s\S]*?)```/g)) {
    blocks.push({ name: m[1], lines: m[2].trim().split('\n') });
  }
  return blocks;
}

/** The commands of the block named `name`: one per line (a trailing \\ continues it), comment lines left out. */
export function lessonBlock(chapter: string, name: string, root = repo): string[] {
  const block = lessonBlocks(chapter, root).find((b) => b.name === name);
  if (!block) throw new Error(`chapters/${chapter}/README.md has no sh block marked <!-- test: ${name} -->`);
  const commands: string[] = [];
  let pending = '';
  for (const line of block.lines) {
    if (!pending && (/^\s*#/.test(line) || line.trim() === '')) continue;
    if (line.endsWith('\\')) pending += line.slice(0, -1) + ' ';
    else {
      commands.push(pending + line);
      pending = '';
    }
  }
  return commands;
}

/** The block named `name` as it stands, for a script (here-documents, background jobs span lines). */
export function lessonScript(chapter: string, name: string, root = repo): string[] {
  lessonBlock(chapter, name, root); // it exists
  return lessonBlocks(chapter, root).find((b) => b.name === name)!.lines;
}

/** The environment of a reader's shell: no vitest variables, the installed Node first on PATH. */
export function readerEnv(env: Record<string, string> = {}, root = repo): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}` };
  for (const v of ['VITEST', 'VITEST_MODE', 'VITEST_WORKER_ID', 'VITEST_POOL_ID', 'NODE_OPTIONS', 'TEST', 'NODE_ENV']) delete base[v];
  return { ...base, ...env };
}

/** Run lines with sh from the repository, as a reader would. */
export function sh(script: string, env: Record<string, string> = {}, root = repo) {
  return collect(spawn('sh', ['-c', script], { cwd: root, env: readerEnv(env, root), stdio: ['ignore', 'pipe', 'pipe'] }));
}

/**
 * Run one line as a reader types it at a terminal: under script(1), which gives it a
 * pseudo-terminal (for `run -it`), with `input` typed in. Output is the terminal's: echo included.
 */
export function typed(line: string, input: string, env: Record<string, string> = {}, root = repo) {
  const child = spawn('script', ['-qefc', line, '/dev/null'], { cwd: root, env: readerEnv(env, root), stdio: ['pipe', 'pipe', 'pipe'] });
  return collect(child, input);
}

/** The lines as one script whose stdout and stderr go to `output`; it stops at the first that fails. */
export function asScript(lines: string[], output: string): string {
  return ['set -e', `exec >>${output} 2>&1`, ...lines].join('\n') + '\n';
}

/**
 * The "How to check your work" block: `npm start -- check NN`, then vitest on the chapter's
 * tests, both with the learner's code. On the untouched exercises both fail, naming `todo`.
 */
export async function checkBlockFailsOnStubs(lines: string[], todo: RegExp, progress: string): Promise<void> {
  const [workbook, vitest] = lines;
  expect(workbook).toMatch(/^npm start -- check \d\d\b/);
  expect(vitest).toMatch(/^CARTON_IMPL=exercises npx vitest run test\/\d\d-[\w-]+\b/);
  const env = { CARTON_WORKBOOK_STATE: progress, CARTON_SOLUTIONS: '' };
  const checked = await sh(workbook, env);
  expect(checked.status, checked.stdout + checked.stderr).toBe(1);
  expect(checked.stdout).toMatch(/✗ fail /);
  expect(checked.stdout).toMatch(todo);
  const tested = await sh(vitest, env);
  expect(tested.status).toBe(1);
  expect(tested.stdout + tested.stderr).toMatch(todo);
  // Failing on the stubs is the point; leaving processes, mounts or cgroups behind is not.
  expect(tested.stdout + tested.stderr).not.toMatch(/the tests left this behind/);
}
