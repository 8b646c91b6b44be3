// Chapter 02's lesson: its commands work as written and do what the lesson says.
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';
import { checkBlockFailsOnStubs, lessonBlock, sh, typed } from '../helpers/lesson.js';

const CHAPTER = '02-namespaces';

describe.skipIf(!isRoot)('chapter 02 lesson commands (needs root)', () => {
  const dir = tempDir('carton-lesson02-');
  afterAll(() => removeDir(dir));

  it('ns-links: one UTS namespace for readlink and the shell', async () => {
    const r = await sh(lessonBlock(CHAPTER, 'ns-links')[0]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${readlinkSync('/proc/self/ns/uts')}\n`.repeat(2));
  });

  it('pid1-signal: PID 1 survives its own SIGKILL', async () => {
    const r = await sh(lessonBlock(CHAPTER, 'pid1-signal')[0]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('survived\n');
  });

  it('run: PID 1, a name of its own, and the learner\'s -h', async () => {
    const [reference, mine] = lessonBlock(CHAPTER, 'run');
    const first = await sh(reference);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^1\n[0-9a-f]{12}\n$/);
    const shell = await typed(mine, 'hostname; hostname other; hostname; ps\nexit\n', { CARTON_SOLUTIONS: '1-2' });
    expect(shell.status, shell.stdout).toBe(0);
    expect(shell.stdout).toMatch(/\nbox\r*\nother\r*\n/);
    expect(shell.stdout).toMatch(/PID +USER +COMMAND\r*\n\/ # /);
    const stub = await typed(mine, 'exit\n', { CARTON_SOLUTIONS: '1' });
    expect(stub.status).not.toBe(0);
    expect(stub.stdout).toMatch(/TODO: /);
  });

  it('check: the workbook and vitest both check the chapter (and fail on the stubs)', async () => {
    await checkBlockFailsOnStubs(lessonBlock(CHAPTER, 'check'), /TODO: cloneFlags/, join(dir, 'progress.json'));
  }, 120_000);
});
