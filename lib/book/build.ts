// Builds the book: one HTML page per chapter README (in the order of lib/exercises'
// `chapters`), an index with the introduction and a table of contents, previous/next links.
// Code excerpts are included from solutions/ (include.ts); a missing one fails the build.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandIncludes } from './include.js';
import { escapeHtml } from './highlight.js';
import { renderMarkdown } from './render.js';
import { indexScript, sectionsOf, SEARCH_SCRIPT, type SearchEntry } from './search.js';

const assets = fileURLToPath(new URL('../../book/', import.meta.url));

export interface BookOptions {
  chaptersDir: string;
  outDir: string;
  /** Include paths (`solutions/...`) are relative to this. */
  repoRoot: string;
  chapters: { dir: string; title: string }[];
  /** Markdown shown on the index page above the contents, e.g. the repository README. */
  intro?: string;
}

export interface BuiltPage {
  dir: string;
  title: string;
  file: string;
}

/** Build the book; returns the chapter pages written (chapters without a README are left out). */
export function buildBook(opts: BookOptions): BuiltPage[] {
  const present = opts.chapters.filter((c) => existsSync(join(opts.chaptersDir, c.dir, 'README.md')));
  const pages = new Set(present.map((c) => c.dir));
  const template = readFileSync(join(assets, 'template.html'), 'utf8');
  mkdirSync(opts.outDir, { recursive: true });
  copyFileSync(join(assets, 'style.css'), join(opts.outDir, 'style.css'));

  const built: BuiltPage[] = [];
  const search: SearchEntry[] = [];
  present.forEach((chapter, i) => {
    const source = join(opts.chaptersDir, chapter.dir, 'README.md');
    // Answers folded under "after you pass": the book is the same for every reader.
    const markdown = expandIncludes(readFileSync(source, 'utf8'), opts.repoRoot, `chapters/${chapter.dir}/README.md`, { answers: () => 'collapse' });
    const body = withContents(renderMarkdown(markdown, { source, chaptersDir: opts.chaptersDir, pages }));
    const prev = present[i - 1];
    const next = present[i + 1];
    const nav = [
      prev ? `<a rel="prev" href="${prev.dir}.html">← ${escapeHtml(prev.title)}</a>` : '<a rel="prev" href="index.html">← Contents</a>',
      '<a href="index.html">Contents</a>',
      next ? `<a rel="next" href="${next.dir}.html">${escapeHtml(next.title)} →</a>` : '<span></span>',
    ].join('\n');
    const file = `${chapter.dir}.html`;
    writeFileSync(join(opts.outDir, file), fill(template, { title: chapter.title, content: body, nav }));
    built.push({ dir: chapter.dir, title: chapter.title, file });
    search.push(...sectionsOf(file, chapter.title, body));
  });

  const toc = built.map((p) => `<li><a href="${p.file}">${escapeHtml(p.title)}</a> <span class="dir">${p.dir}</span></li>`).join('\n');
  const intro = opts.intro
    ? renderMarkdown(opts.intro, { source: join(opts.repoRoot, 'README.md'), chaptersDir: opts.chaptersDir, pages })
    : '<h1>Containers from Scratch in TypeScript</h1>';
  const first = built[0] ? `<a rel="next" href="${built[0].file}">${escapeHtml(built[0].title)} →</a>` : '';
  // The contents first: a reader who opens the book is looking for a chapter.
  const index = `<h1 id="top">Containers from Scratch in TypeScript</h1>\n<h2 id="contents">Contents</h2>\n<ol class="toc">\n${toc}\n</ol>\n${intro.replace(/^<h1 id="[^"]*">[\s\S]*?<\/h1>\n?/, '')}`;
  writeFileSync(join(opts.outDir, 'index.html'), fill(template, { title: 'Containers from Scratch', content: index, nav: `<span></span>\n${first}` }));
  search.push(...sectionsOf('index.html', 'Introduction', index));
  writeFileSync(join(opts.outDir, 'search-index.js'), indexScript(search));
  writeFileSync(join(opts.outDir, 'search.js'), SEARCH_SCRIPT);
  return built;
}

/** An in-page contents of the h2 and h3 headings, just below the page's h1. */
export function withContents(html: string): string {
  const items = [...html.matchAll(/<h([23]) id="([^"]*)">([\s\S]*?)<\/h\1>/g)].map(
    ([, depth, id, inner]) => `<li class="depth-${depth}"><a href="#${id}">${inner.replace(/<a [^>]*>|<\/a>/g, '')}</a></li>`,
  );
  if (items.length < 2) return html;
  const contents = `<nav class="page-toc" aria-label="On this page"><p>On this page</p><ul>\n${items.join('\n')}\n</ul></nav>\n`;
  const h1 = /<\/h1>\n?/.exec(html);
  return h1 ? html.slice(0, h1.index + h1[0].length) + contents + html.slice(h1.index + h1[0].length) : contents + html;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => (key === 'title' ? escapeHtml(values[key] ?? '') : values[key] ?? ''));
}
