// A small syntax highlighter for the book's code blocks: comments, strings, keywords and
// numbers for TypeScript and shell. Good enough to read; no dependency.
const KEYWORDS: Record<string, string[]> = {
  ts: ['import', 'export', 'from', 'const', 'let', 'var', 'function', 'return', 'if', 'else', 'for', 'of', 'in',
    'while', 'do', 'throw', 'try', 'catch', 'finally', 'new', 'class', 'extends', 'interface', 'type', 'async',
    'await', 'void', 'null', 'undefined', 'true', 'false', 'typeof', 'instanceof', 'as', 'switch', 'case',
    'break', 'continue', 'default', 'this', 'readonly', 'public', 'private', 'static', 'enum', 'implements'],
  sh: ['if', 'then', 'else', 'elif', 'fi', 'for', 'in', 'do', 'done', 'while', 'case', 'esac', 'function',
    'export', 'sudo', 'echo', 'cd', 'exit', 'return', 'local'],
};

const LANGS: Record<string, string> = {
  ts: 'ts', typescript: 'ts', js: 'ts', javascript: 'ts', sh: 'sh', bash: 'sh', shell: 'sh', console: 'sh',
};

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** HTML for `code`, with <span class="tok-…"> around comments, strings, keywords and numbers. */
export function highlight(code: string, lang: string | undefined): string {
  const kind = LANGS[(lang ?? '').toLowerCase()];
  if (!kind) return escapeHtml(code);
  const comment = kind === 'ts' ? String.raw`\/\/[^\n]*|\/\*[\s\S]*?\*\/` : String.raw`(?<![\w$])#[^\n]*`;
  const string = kind === 'ts' ? String.raw`'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|\`(?:\\.|[^\`\\])*\`` : String.raw`'[^']*'|"(?:\\.|[^"\\])*"`;
  const words = KEYWORDS[kind].join('|');
  const token = new RegExp(`(${comment})|(${string})|\\b(${words})\\b|\\b(\\d[\\w.]*)\\b`, 'g');
  let html = '';
  let last = 0;
  for (const m of code.matchAll(token)) {
    html += escapeHtml(code.slice(last, m.index));
    const cls = m[1] ? 'comment' : m[2] ? 'string' : m[3] ? 'keyword' : 'number';
    html += `<span class="tok-${cls}">${escapeHtml(m[0])}</span>`;
    last = m.index + m[0].length;
  }
  return html + escapeHtml(code.slice(last));
}
