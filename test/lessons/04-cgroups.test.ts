// Chapter 04's lesson: its commands work as written and do what the lesson says.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';
import { checkBlockFailsOnStubs, lessonBlock, sh, typed } from '../helpers/lesson.js';

const CHAPTER = '04-cgroups';

describe.skipIf(!isRoot)('chapter 04 lesson commands (needs root)', () => {
  const dir = tempDir('carton-lesson04-');
  afterAll(() => removeDir(dir));

  it('run: a cgroup namespace, a pids limit, the OOM killer, and the learner\'s shell', async () => {
    const [cgroup, pids, oom, mine] = lessonBlock(CHAPTER, 'run');
    const namespace = await sh(cgroup);
    expect(namespace.status, namespace.stderr).toBe(0);
    const lines = namespace.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^\d+:[\w,=]*:\/$/);
    const forks = await sh(pids);
    expect(forks.stdout + forks.stderr).toMatch(/can't fork: Resource temporarily unavailable/);
    const killed = await sh(oom);
    expect(killed.stdout).toBe('status 137\n');
    expect(killed.stderr).toMatch(/OOM killer/);
    const shell = await typed(mine, 'cat /proc/self/cgroup\nexit\n', { CARTON_SOLUTIONS: '1-4' });
    expect(shell.status, shell.stdout).toBe(0);
    expect(shell.stdout).toMatch(/\n0::\/\r*\n/);
    const stub = await typed(mine, 'exit\n', { CARTON_SOLUTIONS: '1-3' });
    expect(stub.status).not.toBe(0);
    expect(stub.stdout).toMatch(/TODO: /);
  }, 60_000);

  it('check: the workbook and vitest both check the chapter (and fail on the stubs)', async () => {
    await checkBlockFailsOnStubs(lessonBlock(CHAPTER, 'check'), /TODO: parseMemory/, join(dir, 'progress.json'));
  }, 180_000);
});
