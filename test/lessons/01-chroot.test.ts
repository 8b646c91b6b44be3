// Chapter 01's lesson: its commands work as written and do what the lesson says.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';
import { checkBlockFailsOnStubs, lessonBlock, sh, typed } from '../helpers/lesson.js';

const CHAPTER = '01-chroot';

describe.skipIf(!isRoot)('chapter 01 lesson commands (needs root)', () => {
  const dir = tempDir('carton-lesson01-');
  const state = join(dir, 'progress.json');
  afterAll(() => removeDir(dir));

  it('proc-root: /proc/PID/root and cwd of the reader\'s shell', async () => {
    const [line] = lessonBlock(CHAPTER, 'proc-root');
    const r = await sh(line);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\/root -> \/\n/);
    expect(r.stdout).toMatch(/\/cwd -> \//);
  });

  it('run: the image\'s root, the host\'s pids and name, an empty /proc', async () => {
    const [reference, mine] = lessonBlock(CHAPTER, 'run');
    const first = await sh(reference);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout.split('\n')).toEqual(expect.arrayContaining(['bin', 'etc']));
    expect(Number(first.stdout.trim().split('\n').pop())).toBeGreaterThan(1); // a pid of the host's
    // The learner's line, with the reference code for chapter 01 (as if it were solved).
    const shell = await typed(mine, 'hostname; ps\nexit\n', { CARTON_SOLUTIONS: '1' });
    expect(shell.status, shell.stdout).toBe(0);
    expect(shell.stdout).toMatch(new RegExp(`\\n${hostname()}\\r*\\n`));
    expect(shell.stdout).toMatch(/PID +USER +COMMAND\r*\n\/ # /); // the header and nothing else
    // Untouched, the same line stops at the first stub.
    const stub = await typed(mine, 'exit\n', { CARTON_SOLUTIONS: '' });
    expect(stub.status).not.toBe(0);
    expect(stub.stdout).toMatch(/TODO: enterRoot/);
  });

  it('check: the workbook and vitest both check the chapter (and fail on the stubs)', async () => {
    await checkBlockFailsOnStubs(lessonBlock(CHAPTER, 'check'), /TODO: enterRoot/, state);
  }, 120_000);
});
