// Chapter 07's lesson: the registry walk-through works as written (with its files in a
// temporary directory instead of /tmp and a free port instead of 5000) and does what it says.
import { readFileSync } from 'node:fs';
import { freePort } from '../helpers/registry.js';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, isRoot, removeDir, tempDir } from '../helpers/index.js';
import { asScript, checkBlockFailsOnStubs, lessonBlock, lessonScript, sh } from '../helpers/lesson.js';

const CHAPTER = '07-images';


describe.skipIf(!isRoot)('chapter 07 lesson commands (needs root)', () => {
  const dir = tempDir('carton-lesson07-');
  let port = 0;
  afterAll(async () => {
    await carton(['rmi', '-f', `localhost:${port}/demo`, `localhost:${port}/demo:mine`]);
    removeDir(dir);
  });

  it('registry: push with skopeo, pull and run with the learner\'s switch, push with carton', async () => {
    port = await freePort();
    // The block as a whole (a here-document and a background job span lines).
    const lines = lessonScript(CHAPTER, 'registry').map((l) => l.replaceAll('/tmp/', `${dir}/`).replaceAll('5000', String(port)));
    const output = join(dir, 'out.txt');
    const result = await sh(asScript(lines, output), { CARTON_SOLUTIONS: '1-7' });
    const text = readFileSync(output, 'utf8');
    expect(result.status, text).toBe(0);
    expect(text).toMatch(/^pulled and running$/m);
    expect(text).toMatch(new RegExp(`^localhost:${port}/demo +latest `, 'm'));
    expect(text).toMatch(/^mine: digest: sha256:[0-9a-f]{64} size: \d+$/m);
    expect(text).toMatch(/"mediaType": ?"application\/vnd\.oci\.image\.manifest\.v1\+json"|"schemaVersion": ?2/);
  }, 120_000);

  it('check: the workbook and vitest both check the chapter (and fail on the stubs)', async () => {
    await checkBlockFailsOnStubs(lessonBlock(CHAPTER, 'check'), /TODO: parseReference/, join(dir, 'progress.json'));
  }, 240_000);
});
