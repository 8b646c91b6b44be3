// Chapter 05's lesson: its commands work as written and do what the lesson says.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, isRoot, removeDir, tempDir } from '../helpers/index.js';
import { checkBlockFailsOnStubs, lessonBlock, sh, typed } from '../helpers/lesson.js';

const CHAPTER = '05-overlayfs';

describe.skipIf(!isRoot)('chapter 05 lesson commands (needs root)', () => {
  const dir = tempDir('carton-lesson05-');
  afterAll(async () => {
    await carton(['rm', '-f', 'box']);
    await carton(['volume', 'rm', '-f', 'cache']);
    removeDir(dir);
  });

  it('run: a container\'s changes in its upper layer, a volume that outlives containers, the learner\'s shell', async () => {
    const [change, diff, rm, cache1, cache2, volumeRm, mine] = lessonBlock(CHAPTER, 'run');
    expect((await sh(change)).status).toBe(0);
    const changes = await sh(diff);
    expect(changes.status, changes.stderr).toBe(0);
    expect(changes.stdout.trim().split('\n').sort()).toEqual(['A /data', 'A /etc/motd', 'C /bin', 'C /etc', 'D /bin/ls']);
    expect((await sh(rm)).status).toBe(0);
    expect((await sh(cache1)).stdout.trim().split('\n')).toHaveLength(1);
    expect((await sh(cache2)).stdout.trim().split('\n')).toHaveLength(2);
    expect((await sh(volumeRm)).status).toBe(0);
    const shell = await typed(mine, 'ls /bin/ls && grep -c overlay /proc/self/mountinfo\nexit\n', { CARTON_SOLUTIONS: '1-5' });
    expect(shell.status, shell.stdout).toBe(0);
    expect(shell.stdout).toMatch(/\n\/bin\/ls\r*\n[1-9]\d*\r*\n/); // the image untouched by box, on an overlay root
    const stub = await typed(mine, 'exit\n', { CARTON_SOLUTIONS: '1-4' });
    expect(stub.status).not.toBe(0);
    expect(stub.stdout).toMatch(/TODO: /);
  }, 60_000);

  it('check: the workbook and vitest both check the chapter (and fail on the stubs)', async () => {
    await checkBlockFailsOnStubs(lessonBlock(CHAPTER, 'check'), /TODO: overlayOptions/, join(dir, 'progress.json'));
  }, 180_000);
});
