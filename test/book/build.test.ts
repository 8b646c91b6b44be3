// The book builds from the real chapters and from a fixture; includes come from solutions/
// and a missing one fails the build; the code printed is the code in solutions/.
import { mkdirSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chapters } from '../../lib/exercises/index.js';
import { buildBook } from '../../lib/book/build.js';
import { INCLUDE, extractRegion, expandIncludes } from '../../lib/book/include.js';
import { highlight } from '../../lib/book/highlight.js';
import { removeDir, repo, tempDir } from '../helpers/index.js';

const dirs: string[] = [];
function temp(): string {
  const d = tempDir('carton-book-');
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach(removeDir));

function fixture(): string {
  const root = temp();
  mkdirSync(join(root, 'chapters', '01-one'), { recursive: true });
  mkdirSync(join(root, 'chapters', '02-two'), { recursive: true });
  mkdirSync(join(root, 'solutions', '01-one'), { recursive: true });
  writeFileSync(join(root, 'solutions', '01-one', 'a.ts'), 'x\n  // #region hello\n  export const hello = "hi"; // greet\n  // #endregion hello\n');
  writeFileSync(join(root, 'chapters', '01-one', 'README.md'),
    '# One\n\nSee [two](../02-two/README.md#later) and [the code](../../solutions/01-one/a.ts).\n\n<!-- include: solutions/01-one/a.ts#hello -->\n');
  writeFileSync(join(root, 'chapters', '02-two', 'README.md'), '# Two\n\n## Later\n\n```sh\nsudo npm start # go\n```\n');
  return root;
}
const fixtureChapters = [{ dir: '01-one', title: 'One' }, { dir: '02-two', title: 'Two' }, { dir: '03-absent', title: 'Absent' }];

describe('book build', () => {
  it('builds a fixture: pages in order, prev/next, rewritten links, included code', () => {
    const root = fixture();
    const out = join(root, 'html');
    const pages = buildBook({ chaptersDir: join(root, 'chapters'), outDir: out, repoRoot: root, chapters: fixtureChapters });
    expect(pages.map((p) => p.file)).toEqual(['01-one.html', '02-two.html']);
    const one = readFileSync(join(out, '01-one.html'), 'utf8');
    expect(one).toContain('href="02-two.html#later"');
    expect(one).toContain('<span class="repo-link" title="../../solutions/01-one/a.ts">the code</span>');
    expect(one).toContain('<span class="tok-keyword">export</span>');
    expect(one).toMatch(/<em>solutions\/01-one\/a\.ts — <code>hello<\/code><\/em>/); // every included block names its source
    expect(one).toContain('rel="next" href="02-two.html"');
    const two = readFileSync(join(out, '02-two.html'), 'utf8');
    expect(two).toContain('<h2 id="later">');
    expect(two).toContain('<span class="tok-comment"># go</span>');
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('href="01-one.html"');
  });

  it('fails, naming the chapter, the file and the region, when an include is missing', () => {
    const root = fixture();
    const readme = join(root, 'chapters', '02-two', 'README.md');
    writeFileSync(readme, '# Two\n\n<!-- include: solutions/01-one/a.ts#nope -->\n');
    const build = () => buildBook({ chaptersDir: join(root, 'chapters'), outDir: join(root, 'html'), repoRoot: root, chapters: fixtureChapters });
    expect(build).toThrow(/chapters\/02-two\/README\.md.*solutions\/01-one\/a\.ts.*nope/);
    writeFileSync(readme, '# Two\n\n<!-- include: solutions/01-one/gone.ts#hello -->\n');
    expect(build).toThrow(/chapters\/02-two\/README\.md.*solutions\/01-one\/gone\.ts.*does not exist/);
  });

  it('extracts a region with its indentation trimmed', () => {
    expect(extractRegion('a\n    // #region r\n    if (x) {\n      y();\n    }\n    // #endregion r\n', 'r')).toBe('if (x) {\n  y();\n}');
    expect(extractRegion('// #region r\nx\n', 'r')).toBeUndefined();
    expect(() => expandIncludes('<!-- include: lib/todo.ts#none -->', repo, 'here')).toThrow(/here: include of `lib\/todo.ts#none`/);
  });
});

describe('the real book', () => {
  const out = temp();
  const pages = buildBook({ chaptersDir: join(repo, 'chapters'), outDir: out, repoRoot: repo, chapters });

  it('has a page for every chapter README that exists', () => {
    const expected = chapters.filter((c) => existsSync(join(repo, 'chapters', c.dir, 'README.md'))).map((c) => `${c.dir}.html`);
    expect(pages.map((p) => p.file)).toEqual(expected);
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['index.html', 'style.css', 'search.js', 'search-index.js', ...expected]));
  });

  it('prints exactly the code of the regions in solutions/ (drift breaks this)', () => {
    let checked = 0;
    for (const page of pages) {
      const html = readFileSync(join(out, page.file), 'utf8');
      const readme = readFileSync(join(repo, 'chapters', page.dir, 'README.md'), 'utf8');
      for (const line of readme.split('\n')) {
        const m = INCLUDE.exec(line.trim());
        if (!m) continue;
        const region = extractRegion(readFileSync(join(repo, m[1]), 'utf8'), m[2])!;
        expect(html, `${page.dir}: ${m[1]}#${m[2]}`).toContain(`<code>${highlight(region, 'ts')}</code>`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
