// Markdown → HTML for one page of the book: marked with highlighted code, heading anchors
// and links rewritten by links.ts.
import { Marked, type Tokens } from 'marked';
import { escapeHtml, highlight } from './highlight.js';
import { resolveLink, slug } from './links.js';

export interface PageContext {
  /** The Markdown file, to resolve relative links against. */
  source: string;
  chaptersDir: string;
  pages: Set<string>;
}

export function renderMarkdown(markdown: string, ctx: PageContext): string {
  const seen = new Map<string, number>();
  const marked = new Marked({
    gfm: true,
    renderer: {
      code({ text, lang }: Tokens.Code): string {
        const language = (lang ?? '').split(/\s/)[0];
        return `<pre class="code lang-${escapeHtml(language || 'text')}"><code>${highlight(text, language)}</code></pre>\n`;
      },
      heading({ tokens, depth, text }: Tokens.Heading): string {
        let id = slug(text);
        const n = seen.get(id) ?? 0;
        seen.set(id, n + 1);
        if (n > 0) id = `${id}-${n}`;
        return `<h${depth} id="${escapeHtml(id)}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      link({ href, title, tokens }: Tokens.Link): string {
        const inner = this.parser.parseInline(tokens);
        const target = resolveLink(href, ctx.source, ctx.chaptersDir, ctx.pages);
        if (target.kind === 'text') return `<span class="repo-link" title="${escapeHtml(href)}">${inner}</span>`;
        const t = title ? ` title="${escapeHtml(title)}"` : '';
        return `<a href="${escapeHtml(target.href)}"${t}>${inner}</a>`;
      },
      html({ text }: Tokens.HTML | Tokens.Tag): string {
        // An exercise's answer (include.ts, mode collapse) is folded away until the reader asks.
        const open = /^\s*<!--\s*answer:\s*([\w-]+)\s*-->\s*$/.exec(text);
        if (open) return `<details class="answer"><summary>After you pass <code>${escapeHtml(open[1])}</code>: the reference code</summary>\n`;
        if (/^\s*<!--\s*\/answer\s*-->\s*$/.test(text)) return '</details>\n';
        // Comments are authoring notes; other raw HTML is shown as text rather than trusted.
        return /^\s*<!--[\s\S]*-->\s*$/.test(text) ? '' : escapeHtml(text);
      },
    },
  });
  return marked.parse(markdown, { async: false });
}
