// Chapter 09's lesson: its commands work as written and do what the lesson says.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';
import { checkBlockFailsOnStubs, lessonBlock, sh } from '../helpers/lesson.js';

const CHAPTER = '09-security';

describe.skipIf(!isRoot)('chapter 09 lesson commands (needs root)', () => {
  const dir = tempDir('carton-lesson09-');
  afterAll(() => removeDir(dir));

  it('run: Docker\'s capabilities and a seccomp filter, no mount, --cap-drop ALL, the learner\'s code', async () => {
    const [status, mount, dropAll, mine] = lessonBlock(CHAPTER, 'run');
    expect((await sh(status)).stdout).toBe('CapEff:\t00000000a80425fb\nSeccomp:\t2\n');
    const refused = await sh(mount);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/permission denied/i);
    expect((await sh(dropAll)).stdout).toBe('CapEff:\t0000000000000000\n');
    const learner = await sh(mine, { CARTON_SOLUTIONS: '1-9' });
    expect(learner.status, learner.stderr).toBe(0);
    expect(learner.stdout).toMatch(/^CapBnd:\t00000000a80425fb$/m);
    const stub = await sh(mine, { CARTON_SOLUTIONS: '1-8' });
    expect(stub.status).toBe(125);
    expect(stub.stderr).toMatch(/TODO: /);
  });

  it('userns: root inside is the subordinate range outside, and the image\'s files are its own', async () => {
    expect(existsSync('/tmp/carton-subid'), '/tmp/carton-subid exists already on this machine').toBe(false);
    const [range, maps, ids, clean] = lessonBlock(CHAPTER, 'userns');
    try {
      expect((await sh(range)).status).toBe(0);
      const map = await sh(maps);
      expect(map.status, map.stderr).toBe(0);
      expect(map.stdout.trim().split(/\s+/)).toEqual(['0', '100000', '65536']);
      expect((await sh(ids)).stdout.trim().split(/\s+/)).toEqual(['0', '0']);
    } finally {
      expect((await sh(clean)).status).toBe(0);
    }
    expect(existsSync('/tmp/carton-subid')).toBe(false);
  });

  it('check: the workbook and vitest both check the chapter (and fail on the stubs)', async () => {
    await checkBlockFailsOnStubs(lessonBlock(CHAPTER, 'check'), /TODO: resolveCapabilities/, join(dir, 'progress.json'));
  }, 180_000);
});
