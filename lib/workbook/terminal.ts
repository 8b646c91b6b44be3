// The lesson in a terminal: Markdown tokens from marked's lexer, rendered with chalk and
// word-wrapped to the terminal's width. Headings, paragraphs, lists, code, quotes, tables.
import chalk from 'chalk';
import { Lexer, type Token, type Tokens } from 'marked';

const ANSI = /\x1b\[[0-9;]*m/g;

export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** Wrap `text` (which may hold ANSI colours) at `width`, continuing lines with `indent`. */
export function wrap(text: string, width: number, indent = ''): string {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      if (line && visibleLength(line) + 1 + visibleLength(word) > width) {
        lines.push(line);
        line = indent + word;
      } else {
        line = line ? `${line} ${word}` : lines.length ? indent + word : word;
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}

function inline(tokens: Token[] | undefined): string {
  return (tokens ?? []).map((t) => inlineToken(t)).join('');
}

function inlineToken(t: Token): string {
  switch (t.type) {
    case 'strong': return chalk.bold(inline(t.tokens));
    case 'em': return chalk.italic(inline(t.tokens));
    case 'del': return chalk.strikethrough(inline(t.tokens));
    case 'codespan': return chalk.yellow(unescape(t.text));
    case 'br': return '\n';
    case 'link': {
      const text = inline(t.tokens);
      return t.href === t.text || t.href.startsWith('#') ? chalk.underline(text) : `${chalk.underline(text)} ${chalk.dim(`(${t.href})`)}`;
    }
    case 'image': return chalk.dim(`[image: ${t.text}]`);
    case 'html': return '';
    case 'text': return t.tokens ? inline(t.tokens) : unescape(t.text).replace(/\n/g, ' ');
    case 'escape': return t.text;
    default: return 'text' in t ? unescape(String(t.text)) : '';
  }
}

function unescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

function block(t: Token, width: number): string | undefined {
  switch (t.type) {
    case 'heading': {
      const text = inline(t.tokens);
      if (t.depth === 1) return chalk.bold.cyan(text) + '\n' + chalk.cyan('═'.repeat(Math.min(width, visibleLength(text))));
      if (t.depth === 2) return chalk.bold.cyan(text) + '\n' + chalk.cyan('─'.repeat(Math.min(width, visibleLength(text))));
      return chalk.bold(text);
    }
    case 'paragraph': return wrap(inline(t.tokens), width);
    case 'code': return t.text.split('\n').map((l: string) => chalk.dim('  │ ') + chalk.green(l.replace(/\t/g, '    '))).join('\n');
    case 'blockquote': return (t.tokens ?? []).map((b: Token) => block(b, width - 2)).filter(Boolean).join('\n\n').split('\n').map((l: string) => chalk.dim('▌ ') + chalk.italic(l)).join('\n');
    case 'list': return list(t as Tokens.List, width);
    case 'table': return table(t as Tokens.Table, width);
    case 'hr': return chalk.dim('─'.repeat(width));
    case 'text': return wrap(inline(t.tokens) || unescape(t.text), width);
    case 'space':
    case 'html': return undefined;
    default: return 'text' in t ? wrap(String(t.text), width) : undefined;
  }
}

function list(t: Tokens.List, width: number): string {
  const start = typeof t.start === 'number' ? t.start : 1;
  return t.items
    .map((item, i) => {
      const bullet = t.ordered ? `${start + i}. ` : '• ';
      const pad = ' '.repeat(bullet.length);
      const body = item.tokens.map((b) => block(b, width - bullet.length)).filter((s) => s !== undefined).join('\n');
      return bullet + body.split('\n').join('\n' + pad);
    })
    .join('\n');
}

function table(t: Tokens.Table, width: number): string {
  const rows = [t.header.map((c) => chalk.bold(inline(c.tokens))), ...t.rows.map((r) => r.map((c) => inline(c.tokens)))];
  const columns = t.header.length;
  const natural = Array.from({ length: columns }, (_, c) => Math.max(...rows.map((r) => visibleLength(r[c] ?? ''))));
  const room = Math.max(columns * 8, width - 3 * (columns - 1));
  const total = natural.reduce((a, b) => a + b, 0);
  const widths = total <= room ? natural : natural.map((w) => Math.max(8, Math.floor((w / total) * room)));
  const lines: string[] = [];
  rows.forEach((row, r) => {
    const cells = row.map((cell, c) => wrap(cell, widths[c]).split('\n'));
    const height = Math.max(...cells.map((c) => c.length));
    for (let i = 0; i < height; i++) {
      lines.push(cells.map((c, j) => pad(c[i] ?? '', widths[j])).join(chalk.dim(' │ ')).trimEnd());
    }
    if (r === 0) lines.push(widths.map((w) => chalk.dim('─'.repeat(w))).join(chalk.dim('─┼─')));
  });
  return lines.join('\n');
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

/** Render Markdown for a terminal `width` columns wide. */
export function renderTerminal(markdown: string, width: number): string {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  return tokens.map((t) => block(t, width)).filter((s): s is string => s !== undefined).join('\n\n') + '\n';
}
