// Every command in a lesson works as written (#18): each ```sh block of every chapter README
// is named (<!-- test: NAME --> above it) and the chapter's lesson test runs it by that name.
// Illustrations not meant to be typed as they stand are fenced as ```text or ```console.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chapters } from '../../lib/exercises/index.js';
import { repo } from '../helpers/index.js';
import { lessonBlocks } from '../helpers/lesson.js';

describe('lesson commands are all tested', () => {
  const present = chapters.filter((c) => existsSync(join(repo, 'chapters', c.dir, 'README.md')));
  it.each(present.map((c) => [c.dir]))('%s', (dir) => {
    const blocks = lessonBlocks(dir);
    const unnamed = blocks.filter((b) => !b.name).map((b) => b.lines[0]);
    expect(unnamed, `sh blocks without a <!-- test: NAME --> line above them`).toEqual([]);
    const names = blocks.map((b) => b.name!);
    expect(new Set(names).size, 'block names are unique in a chapter').toBe(names.length);
    if (!names.length) return;
    const testFile = join(repo, 'test', 'lessons', `${dir}.test.ts`);
    expect(existsSync(testFile), `test/lessons/${dir}.test.ts runs the lesson's commands`).toBe(true);
    // The chapter's lesson test, or a test of the chapter that needs its own servers (containerd).
    const chapterTests = existsSync(join(repo, 'test', dir)) ? readdirSync(join(repo, 'test', dir)).filter((f) => f.endsWith('.test.ts')).map((f) => join(repo, 'test', dir, f)) : [];
    const tests = [testFile, ...chapterTests].map((f) => readFileSync(f, 'utf8'));
    for (const name of names) {
      const runs = (block: string) => block.includes(`lessonBlock(CHAPTER, '${name}')`) || block.includes(`lessonScript(CHAPTER, '${name}')`);
      expect(tests.some(runs), `no test runs block "${name}" of ${dir}`).toBe(true);
    }
  });
});
