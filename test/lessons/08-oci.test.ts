// Chapter 08's lesson: the commands of "Run this chapter's container" work as written (with
// the bundle in a temporary directory instead of /tmp/bundle), print what the lesson says,
// and runc runs the same bundle with the same output.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';

import { asScript, checkBlockFailsOnStubs, lessonBlock, lessonScript, sh } from '../helpers/lesson.js';

const CHAPTER = '08-oci';

describe.skipIf(!isRoot)('chapter 08 lesson commands (needs root)', () => {
  const dir = tempDir('carton-lesson08-');
  const bundle = join(dir, 'bundle');
  afterAll(async () => {
    await sh(`lib/cli/carton oci delete --force demo; lib/cli/carton rm -f rootfs-source`);
    removeDir(dir);
  });

  it('runs as written and prints what the lesson says; runc agrees', async () => {
    const lines = lessonScript(CHAPTER, 'run').map((line) => line.replaceAll('/tmp/bundle', bundle));
    const last = lines.pop()!;
    expect(last).toMatch(/^CARTON_IMPL=exercises CARTON_CHAPTER=8 /);
    const output = join(dir, 'out.txt');
    const result = await sh(asScript(lines, output));
    expect(result.status, readFileSync(output, 'utf8')).toBe(0);
    const text = readFileSync(output, 'utf8');
    expect(text.match(/^hello from carton, PID 1$/gm)).toHaveLength(2); // run, then start
    expect(text).toMatch(/"status": "created",\n\s+"pid": \d+/);
    const runc = execFileSync('runc', ['--root', join(dir, 'runc'), 'run', '--bundle', bundle, 'demo-runc'], { encoding: 'utf8' });
    expect(runc).toBe('hello from carton, PID 1\n');
    const exercises = await sh(last, { CARTON_SOLUTIONS: '1-7' });
    expect(exercises.status).toBe(1);
    expect(exercises.stderr).toMatch(/TODO: namespacePlan/);
  });

  it('spec: carton run\'s own spec, as inspect and --spec-out show it', async () => {
    const lines = lessonScript(CHAPTER, 'spec').map((line) => line.replaceAll('/tmp/run-spec.json', join(dir, 'run-spec.json')));
    const output = join(dir, 'spec.txt');
    const result = await sh(asScript(lines, output));
    const text = readFileSync(output, 'utf8');
    expect(result.status, text).toBe(0);
    expect(text).toContain('[{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"network"},{"type":"cgroup"}]\n{"memory":{"limit":67108864}}\n');
    expect(text.trim().split('\n').at(-1)).toBe('8');
    expect(JSON.parse(readFileSync(join(dir, 'run-spec.json'), 'utf8')).process.args).toEqual(['true']);
  });

  it('check: the workbook and vitest both check the chapter (and fail on the stubs)', async () => {
    await checkBlockFailsOnStubs(lessonBlock(CHAPTER, 'check'), /TODO: parseMountOptions/, join(dir, 'progress.json'));
  }, 240_000);
});
