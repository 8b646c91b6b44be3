// Unit tests of the workbook's pieces: progress state, targeted hints, the terminal renderer.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import chalk from 'chalk';
import { afterAll, describe, expect, it } from 'vitest';
import type { Exercise } from '../../lib/exercises/index.js';
import { targetedHints } from '../../lib/workbook/hints.js';
import { chapterStatus, forget, loadProgress, nextExercise, recordContainer, recordResult, resumeChapter, showHint, skip, skipChapter } from '../../lib/workbook/state.js';
import { renderTerminal, visibleLength, wrap } from '../../lib/workbook/terminal.js';
import { lessonText } from '../../lib/workbook/lesson.js';
import { implFor, parseChapterList, solutionChapters } from '../../lib/impl-name.js';
import { removeDir, repo, tempDir } from '../helpers/index.js';

const ex = (name: string, chapter: string): Exercise => ({ name, chapter, file: `${chapter}/${name}.ts`, functions: [name], test: `test/${name}.test.ts`, hints: ['idea', 'calls', 'near'] });
const all = [ex('a', '01-x'), ex('b', '01-x'), ex('c', '02-y')];
const EMPTY = { done: [], skipped: [], skippedChapters: [], hintsShown: {}, containers: [] };
const dir = tempDir('carton-workbook-unit-');
afterAll(() => removeDir(dir));

describe('progress state', () => {
  const file = join(dir, 'state.json');

  it('starts empty, records passes and failures, resumes at the next exercise', () => {
    expect(loadProgress(file)).toEqual(EMPTY);
    expect(nextExercise(loadProgress(file), all)?.name).toBe('a');
    recordResult(file, 'a', true, all);
    expect(loadProgress(file)).toEqual({ ...EMPTY, done: ['a'], current: 'b' });
    expect(chapterStatus(loadProgress(file), '01-x', all)).toEqual({ status: 'in progress', done: 1, total: 2 });
    recordResult(file, 'b', false, all);
    expect(loadProgress(file).current).toBe('b');
    recordResult(file, 'b', true, all);
    // Its exercises pass, but a chapter is done only once its container has run with them.
    expect(chapterStatus(loadProgress(file), '01-x', all).status).toBe('container not run');
    recordContainer(file, '01-x', true, all);
    expect(chapterStatus(loadProgress(file), '01-x', all).status).toBe('done');
    recordResult(file, 'b', false, all);
    recordResult(file, 'b', true, all);
    expect(chapterStatus(loadProgress(file), '01-x', all).status).toBe('container not run');
    expect(chapterStatus(loadProgress(file), '02-y', all).status).toBe('not started');
  });

  it('skips, comes back to skipped exercises last, and resets one or everything', () => {
    forget(file, all);
    expect(skip(file, 'a', all).current).toBe('b');
    recordResult(file, 'b', true, all);
    recordResult(file, 'c', true, all);
    expect(loadProgress(file).current).toBe('a');
    expect(forget(file, all, ['b']).done).toEqual(['c']);
    expect(forget(file, all)).toEqual({ ...EMPTY, current: 'a' });
    expect(JSON.parse(readFileSync(file, 'utf8')).done).toEqual([]);
  });

  it('treats an unreadable state file as a fresh start', async () => {
    const bad = join(dir, 'bad.json');
    (await import('node:fs')).writeFileSync(bad, '{ not json');
    expect(loadProgress(bad)).toEqual(EMPTY);
  });

  it('shows hints one step at a time, up to the last, and forgets them on reset', () => {
    forget(file, all);
    expect([showHint(file, all[0], all), showHint(file, all[0], all), showHint(file, all[0], all), showHint(file, all[0], all)]).toEqual([1, 2, 3, 3]);
    expect(showHint(file, all[1], all)).toBe(1);
    expect(forget(file, all, ['a']).hintsShown).toEqual({ b: 1 });
  });

  it('skips a whole chapter (the implementation switch reads it) and takes it back', () => {
    forget(file, all);
    const p = skipChapter(file, '01-x', all);
    expect(p.skippedChapters).toEqual(['01-x']);
    expect(p.current).toBe('c');
    expect(chapterStatus(p, '01-x', all).status).toBe('skipped');
    expect(solutionChapters({ CARTON_WORKBOOK_STATE: file })).toEqual([1]);
    expect(resumeChapter(file, '01-x', all)).toMatchObject({ skippedChapters: [], skipped: [], current: 'a' });
    expect(solutionChapters({ CARTON_WORKBOOK_STATE: file })).toEqual([]);
  });
});

describe('targeted hints', () => {
  const e = ex('pivot', '03-filesystem');
  it('matches the known failures', () => {
    expect(targetedHints('Error: TODO: pivotInto is not written yet', e)).toEqual([expect.stringContaining('still the stub: open exercises/03-filesystem/pivot.ts')]);
    expect(targetedHints('mount `/`: EPERM (Operation not permitted)', e)).toEqual([expect.stringContaining('sudo npm start')]);
    expect(targetedHints('pivot_root `.`: EINVAL (Invalid argument)', e)).toEqual([expect.stringContaining('MS_REC|MS_PRIVATE')]);
    expect(targetedHints('unshare: ENOSYS', e)).toEqual([expect.stringContaining('carton doctor')]);
    expect(targetedHints('mount overlay: ENODEV', e)).toEqual([expect.stringContaining('carton doctor')]);
    expect(targetedHints('expected 1 to be 2', e)).toEqual([]);
  });
});

describe('terminal renderer', () => {
  it('wraps on visible width, ignoring colours', () => {
    chalk.level = 1;
    const text = wrap(`${chalk.bold('one')} two three four five six`, 10, '  ');
    for (const line of text.split('\n')) expect(visibleLength(line)).toBeLessThanOrEqual(10);
    expect(text.replace(/\x1b\[[0-9;]*m/g, '')).toBe('one two\n  three\n  four\n  five six');
  });

  it('renders headings, lists, code, tables and links as readable text', () => {
    chalk.level = 0;
    const out = renderTerminal('# Title\n\nSome *soft*\nwrapped `code`, a [link](https://example.org).\n\n- one\n- two\n\n```sh\nls -l\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n', 60);
    expect(out).toContain('Title\n═════');
    expect(out).toContain('Some soft wrapped code, a link (https://example.org).');
    expect(out).toContain('• one\n• two');
    expect(out).toContain('  │ ls -l');
    expect(out).toMatch(/a +│ b\n─+─┼──+\n1 +│ 2/);
  });

  it('expands includes in a lesson, from a fixture chapters dir', () => {
    chalk.level = 0;
    const chapter = existsSync(join(repo, 'chapters', '02-namespaces', 'README.md')) ? '02-namespaces' : undefined;
    if (chapter) expect(lessonText(repo, chapter, 80, loadProgress(join(dir, 'none.json')))).not.toContain('<!-- include');
    expect(lessonText(dir, '09-nothing', 80, loadProgress(join(dir, 'none.json')))).toContain('not written yet');
  });
});

describe('the implementation switch, per chapter', () => {
  it('reads chapter lists', () => {
    expect(parseChapterList('3, 05-overlayfs,1-2')).toEqual([3, 5, 1, 2]);
    expect(parseChapterList('')).toEqual([]);
    expect(() => parseChapterList('three')).toThrow(/CARTON_SOLUTIONS: "three" is not a chapter/);
  });

  it('gives the reference code to the chapters named, only under CARTON_IMPL=exercises', () => {
    expect(implFor('03-filesystem', 'exercises', [3])).toBe('solutions');
    expect(implFor('04-cgroups', 'exercises', [3])).toBe('exercises');
    expect(implFor('04-cgroups', 'solutions', [])).toBe('solutions');
    expect(solutionChapters({ CARTON_SOLUTIONS: '2,4', CARTON_WORKBOOK_STATE: join(dir, 'none.json') })).toEqual([2, 4]);
  });
});
