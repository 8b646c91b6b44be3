// Chapter 10's lesson: the commands of "Run this chapter's build" work as written (with the
// build directory in a temporary directory instead of /tmp/hello-build) and do what it says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, isRoot, removeDir, tempDir } from '../helpers/index.js';

import { asScript, checkBlockFailsOnStubs, lessonBlock, lessonScript, sh } from '../helpers/lesson.js';

const CHAPTER = '10-build';

describe.skipIf(!isRoot)('chapter 10 lesson commands (needs root)', () => {
  const dir = tempDir('carton-lesson10-');
  afterAll(async () => {
    await carton(['rmi', '-f', 'hello:1', 'hello:2']);
    removeDir(dir);
  });

  it('runs as written and prints what the lesson says', async () => {
    const lines = lessonScript(CHAPTER, 'run').map((line) => line.replaceAll('/tmp/hello-build', join(dir, 'hello-build')));
    const last = lines.pop()!;
    const output = join(dir, 'out.txt');
    const result = await sh(asScript(lines, output));
    const text = readFileSync(output, 'utf8');
    expect(result.status, text).toBe(0);
    expect(text).toMatch(/^#3 \[2\/2\] RUN echo /m);
    expect(text).toMatch(/^#4 naming to docker\.io\/library\/hello:1 done$/m);
    expect(text).toMatch(/^hello, carton$/m);
    expect(text.match(/^#3 CACHED$/gm)).toHaveLength(1); // the second build's RUN
    expect(text).toMatch(/^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/m);
    expect(last).toMatch(/^CARTON_IMPL=exercises CARTON_CHAPTER=10 /);
    const exercises = await sh(last, { CARTON_SOLUTIONS: '1-9' });
    expect(exercises.status).toBe(1);
    expect(exercises.stderr).toMatch(/TODO: expand/);
  });

  it('check: the workbook and vitest both check the chapter (and fail on the stubs)', async () => {
    await checkBlockFailsOnStubs(lessonBlock(CHAPTER, 'check'), /TODO: expand/, join(dir, 'progress.json'));
  }, 240_000);
});
