// A learner's walk through a fresh copy of the workbook (#18's acceptance): chapter 01 and
// chapter 03 solved (their reference code written into exercises/, as a learner who got them
// right would have), every other chapter skipped in the workbook. The lessons' commands of
// chapters 01 and 03 work as written, the workbook counts both chapters done (exercises and
// container), and the containers of the skipped chapters still run, on the reference code.
import { cpSync, copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chapters } from '../../lib/exercises/index.js';
import { isRoot, removeDir, repo, tempDir } from '../helpers/index.js';
import { lessonBlock, sh, typed } from '../helpers/lesson.js';

const SOLVED = ['01-chroot', '03-filesystem'];

describe.skipIf(!isRoot)('a learner who solved chapters 01 and 03 and skipped the rest (needs root)', () => {
  const work = tempDir('carton-learner-');
  const root = join(work, 'carton');
  // The reader's own shell in their checkout: nothing of this test run's workbook settings.
  const env = { CARTON_WORKBOOK_ROOT: '', CARTON_WORKBOOK_STATE: '' };
  const inCopy = (line: string) => sh(line, env, root);

  beforeAll(() => {
    mkdirSync(root);
    for (const dir of ['lib', 'exercises', 'solutions', 'test', 'chapters']) cpSync(join(repo, dir), join(root, dir), { recursive: true });
    for (const file of ['package.json', 'tsconfig.json', 'vitest.config.ts']) copyFileSync(join(repo, file), join(root, file));
    for (const link of ['node_modules', 'dist']) if (existsSync(join(repo, link))) symlinkSync(join(repo, link), join(root, link));
    const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args]);
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'a fresh clone');
    for (const dir of SOLVED) cpSync(join(repo, 'solutions', dir), join(root, 'exercises', dir), { recursive: true });
  });
  afterAll(() => removeDir(work));

  it('skips every other chapter in the workbook', async () => {
    for (const c of chapters.filter((x) => x.dir !== '00-doctor' && !SOLVED.includes(x.dir))) {
      const skipped = await inCopy(`npm start -- skip-chapter ${c.dir.slice(0, 2)}`);
      expect(skipped.status, skipped.stderr).toBe(0);
    }
    const progress = JSON.parse(readFileSync(join(root, '.carton-workbook.json'), 'utf8')) as { skippedChapters: string[] };
    expect(progress.skippedChapters).toHaveLength(chapters.length - 1 - SOLVED.length);
  }, 120_000);

  it('chapter 01: its lesson commands work as written, with the learner\'s code', async () => {
    const [reference, mine] = lessonBlock('01-chroot', 'run', root);
    expect((await inCopy(reference)).status).toBe(0);
    const shell = await typed(mine, 'ls /\nexit\n', env, root);
    expect(shell.status, shell.stdout).toBe(0);
    expect(shell.stdout).toMatch(/\bbin\b/);
    const [check, vitest] = lessonBlock('01-chroot', 'check', root);
    const checked = await inCopy(check);
    expect(checked.status, checked.stdout).toBe(0);
    expect(checked.stdout).toMatch(/✓ runs {2}01-chroot's container/);
    expect((await inCopy(vitest)).status).toBe(0);
  }, 180_000);

  it('chapter 03: its lesson commands work as written, chapter 02 on the reference code', async () => {
    const [look, write, mine] = lessonBlock('03-filesystem', 'run', root);
    const seen = await inCopy(look);
    expect(seen.status, seen.stderr).toBe(0);
    expect(seen.stdout).toMatch(/^ +1 root /m);
    expect((await inCopy(write)).stderr).toMatch(/Read-only file system/);
    const shell = await typed(mine, 'ps\nexit\n', env, root);
    expect(shell.status, shell.stdout).toBe(0);
    expect(shell.stdout).toMatch(/\n +1 root +sh\r*\n/);
    const checked = await inCopy(lessonBlock('03-filesystem', 'check', root)[0]);
    expect(checked.status, checked.stdout).toBe(0);
    expect(checked.stdout).toMatch(/✓ runs {2}03-filesystem's container/);
  }, 180_000);

  it('the workbook counts both chapters done, and every skipped chapter\'s container runs', async () => {
    const list = (await inCopy('npm start -- list')).stdout;
    expect(list).toMatch(/01-chroot .* (\d+)\/\1 done/);
    expect(list).toMatch(/03-filesystem .* (\d+)\/\1 done/);
    expect(list).toMatch(/02-namespaces .* skipped/);
    for (const level of [2, 4, 5, 6, 7, 8, 9, 10, 11]) {
      const run = await inCopy(`CARTON_IMPL=exercises CARTON_CHAPTER=${level} lib/cli/carton run --rm carton/busybox true`);
      expect(run.status, `chapter ${level}: ${run.stderr}`).toBe(0);
    }
  }, 180_000);
});
