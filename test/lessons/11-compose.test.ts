// Chapter 11's lesson: the commands of "Run this chapter's application" work as written (with
// the project in a temporary directory instead of /tmp/hello-compose) and do what it says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, isRoot, removeAllContainers, removeDir, tempDir } from '../helpers/index.js';

import { asScript, checkBlockFailsOnStubs, lessonBlock, lessonScript, sh } from '../helpers/lesson.js';

const CHAPTER = '11-compose';

describe.skipIf(!isRoot)('chapter 11 lesson commands (needs root)', () => {
  const dir = tempDir('carton-lesson11-');
  afterAll(async () => {
    await removeAllContainers();
    removeDir(dir);
  });

  it('the health check demonstration runs as written', async () => {
    const output = join(dir, 'health.txt');
    const result = await sh(asScript(lessonScript(CHAPTER, 'health'), output));
    const text = readFileSync(output, 'utf8');
    expect(result.status, text).toBe(0);
    expect(text).toMatch(/^starting [12]$/m);
    expect(text).toMatch(/^healthy 0$/m);
    expect((await carton(['ps', '-aq'])).stdout).toBe('');
  });

  it('runs as written and prints what the lesson says', async () => {
    const lines = lessonScript(CHAPTER, 'run').map((line) => line.replaceAll('/tmp/hello-compose', join(dir, 'hello-compose')));
    const last = lines.pop()!;
    const output = join(dir, 'out.txt');
    const result = await sh(asScript(lines, output));
    const text = readFileSync(output, 'utf8');
    expect(result.status, text).toBe(0);
    expect(text).toMatch(/^ Network hello-compose_default {2}Created$/m);
    expect(text.indexOf(' Container hello-compose-api-1  Healthy')).toBeGreaterThan(0);
    expect(text.indexOf(' Container hello-compose-api-1  Healthy')).toBeLessThan(text.indexOf(' Container hello-compose-web-1  Started'));
    expect(text).toMatch(/^hello-compose-api-1 .*\(healthy\)/m);
    expect(text).toMatch(/^hello from the api$/m);
    expect(text).toMatch(/^ Network hello-compose_default {2}Removed$/m);
    expect((await carton(['ps', '-aq'])).stdout).toBe('');
    expect(last).toMatch(/^CARTON_IMPL=exercises CARTON_CHAPTER=11 /);
    const exercises = await sh(last, { CARTON_SOLUTIONS: '1-10' });
    expect(exercises.status).toBe(1);
    expect(exercises.stderr).toMatch(/TODO: interpolate/);
  });

  it('check: the workbook and vitest both check the chapter (and fail on the stubs)', async () => {
    await checkBlockFailsOnStubs(lessonBlock(CHAPTER, 'check'), /TODO: interpolate/, join(dir, 'progress.json'));
  }, 240_000);
});
