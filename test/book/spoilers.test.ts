// No lesson gives an exercise's answer away (#18): for every exercise, no distinctive line of
// its reference function's body appears in the chapter's README, in the lesson as the
// workbook shows it before the exercise passes, or in the book outside the folded "after you
// pass" sections. Lines are compared with their whitespace squeezed out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBook } from '../../lib/book/build.js';
import { INCLUDE, answerOf, expandIncludes, extractRegion } from '../../lib/book/include.js';
import { chapters, exercises } from '../../lib/exercises/index.js';
import { functionRange } from '../../lib/workbook/files.js';
import { removeDir, repo, tempDir } from '../helpers/index.js';

const squeeze = (text: string) => text.replace(/\s+/g, '');

// Code the lessons show on purpose (includes of functions that are not exercises) may share a
// line with an answer ("if (stats.isDirectory()) {"): such a line gives nothing away.
const shown = new Set<string>();
for (const c of chapters) {
  let readme = '';
  try { readme = readFileSync(join(repo, 'chapters', c.dir, 'README.md'), 'utf8'); } catch { continue; }
  for (const m of readme.matchAll(new RegExp(INCLUDE.source, 'gm'))) {
    if (answerOf(m[1], m[2])) continue;
    for (const l of extractRegion(readFileSync(join(repo, m[1]), 'utf8'), m[2])!.split('\n')) shown.add(squeeze(l));
  }
}

/** The lines of the reference function's body worth hiding: code, not braces or comments. */
function answerLines(file: string, fn: string): string[] {
  const source = readFileSync(join(repo, 'solutions', file), 'utf8');
  const range = functionRange(source, fn)!;
  const body = source.slice(range.start, range.end).split('\n').slice(1, -1);
  return body.map((l) => l.trim()).filter((l) => !l.startsWith('//') && !l.startsWith('*') && !l.startsWith('/*') && squeeze(l).length >= 16 && !shown.has(squeeze(l)));
}

function bookText(html: string): string {
  const text = html.replace(/<details class="answer">[\s\S]*?<\/details>/g, '').replace(/<[^>]+>/g, '');
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

describe('lessons and the book keep the answers for after the exercise passes', () => {
  const out = tempDir('carton-spoilers-');
  const pages = buildBook({ chaptersDir: join(repo, 'chapters'), outDir: out, repoRoot: repo, chapters });
  const texts = new Map<string, { readme: string; lesson: string; book: string }>();
  for (const page of pages) {
    const readme = readFileSync(join(repo, 'chapters', page.dir, 'README.md'), 'utf8');
    texts.set(page.dir, {
      readme: squeeze(readme),
      lesson: squeeze(expandIncludes(readme, repo, page.dir, { answers: () => 'hide' })),
      book: squeeze(bookText(readFileSync(join(out, page.file), 'utf8'))),
    });
  }
  removeDir(out);

  it('has something to compare for every exercise', () => {
    for (const e of exercises) expect(e.functions.flatMap((fn) => answerLines(e.file, fn)).length, e.name).toBeGreaterThan(0);
  });

  it.each(exercises.map((e) => [e.name, e] as const))('%s', (_, e) => {
    // The stub's own doc comment must not dictate the answer either.
    const page = { ...texts.get(e.chapter)!, stub: squeeze(readFileSync(join(repo, 'exercises', e.file), 'utf8')) };
    for (const line of e.functions.flatMap((fn) => answerLines(e.file, fn))) {
      for (const [where, text] of Object.entries(page)) expect(text.includes(squeeze(line)), `${where} of ${e.chapter} shows "${line}"`).toBe(false);
    }
  });

  it('still shows the answer folded in the book, and in the lesson once it passes', () => {
    const e = exercises.find((x) => x.name === 'pivot-into')!;
    const [line] = answerLines(e.file, 'pivotInto');
    const readme = readFileSync(join(repo, 'chapters', e.chapter, 'README.md'), 'utf8');
    expect(squeeze(expandIncludes(readme, repo, e.chapter, { answers: () => 'show' }))).toContain(squeeze(line));
    expect(expandIncludes(readme, repo, e.chapter, { answers: () => 'collapse' })).toMatch(/<!-- answer: pivot-into -->[\s\S]*sys\.pivotRoot[\s\S]*<!-- \/answer -->/);
  });
});
