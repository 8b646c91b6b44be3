// npm run check — proves the workbook is sound, as rustlings' `dev check` does:
//   1. every exercise has a solution twin, its functions in both, a hint, a test file;
//   2. every chapter's exercises/ module has the same public surface as its solutions/ one;
//   3. every exercise's tests pass against solutions/ (none skipped);
//   4. every untouched exercise fails them, readably: a failing assertion that carries the
//      stub's "TODO:" message, not a file that cannot even be imported;
//   5. nothing under lib/ takes an exercise's function from solutions/ around the
//      implementation switch (switch.ts), so CARTON_IMPL=exercises reaches every one;
//   6. the front ends (CLI, compose, build) reach containers only through the engine
//      (engine-only.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import chalk from 'chalk';
import { chapters, exercises, type Exercise } from '../exercises/index.js';
import { importsAroundSwitch } from './switch.js';
import { importsAroundEngine } from './engine-only.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const problems: string[] = [];
const problem = (text: string) => problems.push(text);

function checkStructure(): void {
  const names = new Set<string>();
  for (const ex of exercises) {
    if (names.has(ex.name)) problem(`${ex.name}: the name is used twice`);
    names.add(ex.name);
    if (!chapters.some((c) => c.dir === ex.chapter)) problem(`${ex.name}: chapter ${ex.chapter} is not in the chapter list`);
    if (!ex.file.startsWith(`${ex.chapter}/`)) problem(`${ex.name}: ${ex.file} is not in its chapter's directory`);
    if (ex.hints.length !== 3 || ex.hints.some((h) => !h.trim())) problem(`${ex.name}: needs three hint steps (idea, calls, near-answer)`);
    if (!existsSync(join(repo, ex.test))) problem(`${ex.name}: test file ${ex.test} is missing`);
    for (const side of ['exercises', 'solutions']) {
      const path = join(repo, side, ex.file);
      if (!existsSync(path)) {
        problem(`${ex.name}: ${side}/${ex.file} is missing`);
        continue;
      }
      const text = readFileSync(path, 'utf8');
      for (const fn of ex.functions) {
        if (!new RegExp(`export (async )?function ${fn}\\b`).test(text)) problem(`${ex.name}: ${side}/${ex.file} does not export function ${fn}`);
      }
    }
  }
}

async function checkSurfaces(): Promise<void> {
  for (const { dir } of chapters) {
    const solution = join(repo, 'solutions', dir, 'index.ts');
    const exercise = join(repo, 'exercises', dir, 'index.ts');
    if (!existsSync(solution) || !existsSync(exercise)) {
      problem(`chapter ${dir}: solutions/${dir}/index.ts and exercises/${dir}/index.ts must both exist`);
      continue;
    }
    const [s, e] = await Promise.all([import(solution), import(exercise)]);
    const missing = Object.keys(s).filter((k) => !(k in e));
    if (missing.length) problem(`chapter ${dir}: exercises/ lacks ${missing.join(', ')} (same public surface as solutions/)`);
  }
}

interface FileResult {
  name: string;
  status: string;
  message: string;
  assertionResults: Array<{ status: string; title: string; failureMessages: string[] }>;
}

function vitest(impl: 'solutions' | 'exercises', files: string[]): Map<string, FileResult> {
  const dir = mkdtempSync(join(tmpdir(), 'carton-check-'));
  const out = join(dir, 'report.json');
  spawnSync(process.execPath, [join(repo, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=json', `--outputFile=${out}`, ...files], {
    cwd: repo,
    // CARTON_SOLUTIONS empty: the chapters a learner skipped in the workbook are stubs here too.
    env: { ...process.env, CARTON_IMPL: impl, CARTON_SOLUTIONS: '', CARTON_WORKBOOK_RECORD: '0', FORCE_COLOR: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const results = new Map<string, FileResult>();
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8')) as { testResults: FileResult[] };
    for (const file of report.testResults) results.set(file.name.slice(repo.length), file);
  }
  rmSync(dir, { recursive: true, force: true });
  return results;
}

function checkRuns(): void {
  const files = [...new Set(exercises.map((e) => e.test))].filter((f) => existsSync(join(repo, f)));
  console.log(chalk.dim(`running ${files.length} exercise test files against solutions/ ...`));
  const solved = vitest('solutions', files);
  console.log(chalk.dim(`running them against the untouched exercises/ ...`));
  const stubbed = vitest('exercises', files);
  for (const ex of exercises) {
    const s = solved.get(ex.test);
    const e = stubbed.get(ex.test);
    const where = `${ex.name} (${ex.test})`;
    if (!s) problem(`${where}: no result against solutions/`);
    else if (s.assertionResults.length === 0) problem(`${where}: the file did not run against solutions/: ${s.message.split('\n')[0]}`);
    else {
      const bad = s.assertionResults.filter((a) => a.status !== 'passed');
      for (const a of bad) problem(`${where}: "${a.title}" is ${a.status} against solutions/${a.status === 'skipped' || a.status === 'pending' ? ' (run the check as root)' : ''}`);
    }
    if (!e) problem(`${where}: no result against exercises/`);
    else if (e.assertionResults.length === 0) problem(`${where}: against exercises/ the file crashed instead of failing: ${e.message.split('\n')[0]}`);
    else {
      const failures = e.assertionResults.filter((a) => a.status === 'failed');
      if (failures.length === 0) problem(`${where}: passes against the untouched exercise: the tests do not check it`);
      else if (!failures.some((a) => a.failureMessages.join('\n').includes('TODO:'))) problem(`${where}: fails against exercises/, but no failure shows the stub's TODO message`);
    }
  }
}

function modifiedExercises(): string[] {
  const git = spawnSync('git', ['status', '--porcelain', '--', 'exercises'], { cwd: repo, encoding: 'utf8' });
  return git.status === 0 ? git.stdout.split('\n').filter(Boolean) : [];
}

async function main(): Promise<void> {
  const modified = modifiedExercises();
  if (modified.length) {
    console.error(chalk.red('check: exercises/ has local changes; the check proves the *untouched* exercises fail:'));
    console.error(modified.join('\n'));
    console.error(chalk.dim('hint: run it on a clean checkout, or `git stash` first; learners check their work with `npm start`'));
    process.exit(1);
  }
  checkStructure();
  await checkSurfaces();
  for (const a of importsAroundSwitch(repo, join(repo, 'lib'), exercises, [join(repo, 'lib/impl.ts')])) {
    problem(`${a.where}: takes ${a.names.join(', ')} from ${a.module} around the implementation switch (use chapter.… from lib/impl.ts)`);
  }
  for (const around of importsAroundEngine(repo)) problem(`${around}: a front end reaches containers only through lib/runtime/engine.ts`);
  checkRuns();
  if (problems.length) {
    console.error(chalk.red(`check: ${problems.length} problem(s):`));
    for (const p of problems) console.error(`  ${chalk.red('✗')} ${p}`);
    process.exit(1);
  }
  const perChapter = chapters.map((c) => `${c.dir}: ${exercises.filter((e: Exercise) => e.chapter === c.dir).length}`).join(', ');
  console.log(chalk.green(`check: ${exercises.length} exercises: every solution passes, every untouched exercise fails with its TODO (${perChapter})`));
}

await main();
