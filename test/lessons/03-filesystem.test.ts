// Chapter 03's lesson: its commands work as written and do what the lesson says.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';
import { checkBlockFailsOnStubs, lessonBlock, sh, typed } from '../helpers/lesson.js';

const CHAPTER = '03-filesystem';

describe.skipIf(!isRoot)('chapter 03 lesson commands (needs root)', () => {
  const dir = tempDir('carton-lesson03-');
  afterAll(() => removeDir(dir));

  it('run: only the container\'s processes and mounts, a read-only /proc/sys, the learner\'s shell', async () => {
    const [look, write, mine] = lessonBlock(CHAPTER, 'run');
    const seen = await sh(look);
    expect(seen.status, seen.stderr).toBe(0);
    const [header, ...rest] = seen.stdout.trim().split('\n');
    expect(header).toMatch(/^PID +USER +COMMAND$/);
    const pids = rest.filter((l) => /^\s*\d+ /.test(l)).map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(pids[0]).toBe(1);
    const mountPoints = rest.filter((l) => / - /.test(l)).map((l) => l.split(' ')[4]);
    expect(mountPoints[0]).toBe('/');
    for (const m of mountPoints) expect(m).toMatch(/^\/((proc|sys|dev|etc)(\/|$)|$)/);
    expect(mountPoints).not.toContain('/work');
    const readOnly = await sh(write);
    expect(readOnly.status).not.toBe(0);
    expect(readOnly.stderr).toMatch(/Read-only file system/);
    const shell = await typed(mine, 'ps\nexit\n', { CARTON_SOLUTIONS: '1-3' });
    expect(shell.status, shell.stdout).toBe(0);
    expect(shell.stdout).toMatch(/\n +1 root +sh\r*\n/);
    const stub = await typed(mine, 'exit\n', { CARTON_SOLUTIONS: '1-2' });
    expect(stub.status).not.toBe(0);
    expect(stub.stdout).toMatch(/TODO: /);
  }, 60_000);

  it('check: the workbook and vitest both check the chapter (and fail on the stubs)', async () => {
    await checkBlockFailsOnStubs(lessonBlock(CHAPTER, 'check'), /TODO: makeMountsPrivate/, join(dir, 'progress.json'));
  }, 180_000);
});
