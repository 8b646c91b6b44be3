// Chapter 10's lesson: the commands of "Run this chapter's build" work as written (with the
// build directory in a temporary directory instead of /tmp/hello-build) and do what it says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, isRoot, removeDir, tempDir } from '../helpers/index.js';
import { asScript, lessonCommands, sh } from '../helpers/lesson.js';

describe.skipIf(!isRoot)('chapter 10 lesson commands (needs root)', () => {
  const dir = tempDir('carton-lesson10-');
  afterAll(async () => {
    await carton(['rmi', '-f', 'hello:1', 'hello:2']);
    removeDir(dir);
  });

  it('runs as written and prints what the lesson says', async () => {
    const lines = lessonCommands('10-build').map((line) => line.replaceAll('/tmp/hello-build', join(dir, 'hello-build')));
    const last = lines.pop()!;
    const output = join(dir, 'out.txt');
    const result = await sh(asScript(lines, output));
    const text = readFileSync(output, 'utf8');
    expect(result.status, text).toBe(0);
    expect(text).toMatch(/^naming to docker\.io\/library\/hello:1 done$/m);
    expect(text).toMatch(/^hello, carton$/m);
    expect(text.match(/^CACHED$/gm)).toHaveLength(1); // the second build's RUN
    expect(text).toMatch(/^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/m);
    expect(last).toMatch(/^CARTON_IMPL=exercises /);
    const exercises = await sh(last.replace('CARTON_IMPL=exercises ', ''), { CARTON_IMPL: 'exercises' });
    expect(exercises.status).toBe(1);
    expect(exercises.stderr).toMatch(/TODO: expand/);
  });
});
