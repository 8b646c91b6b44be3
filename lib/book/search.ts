// The book's search: an index built with the book (one entry per section of a page: its
// heading, anchor and text) and a small script that looks terms up in it in the browser, with
// no server and no library. The index is a script (window.CARTON_SEARCH = [...]) so that the
// book also searches when opened straight from the disk (file://, where fetch is refused).
export interface SearchEntry {
  /** page.html#anchor */
  href: string;
  page: string;
  heading: string;
  text: string;
}

function plain(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The sections of one rendered page, split at its h1–h3 headings. */
export function sectionsOf(file: string, title: string, html: string): SearchEntry[] {
  const entries: SearchEntry[] = [];
  const parts = html.split(/(?=<h[1-3] id=")/);
  for (const part of parts) {
    const m = /^<h[1-3] id="([^"]*)">([\s\S]*?)<\/h[1-3]>/.exec(part);
    if (!m) continue;
    entries.push({ href: `${file}#${m[1]}`, page: title, heading: plain(m[2]), text: plain(part.slice(m[0].length)).slice(0, 4000) });
  }
  return entries;
}

export function indexScript(entries: SearchEntry[]): string {
  return `window.CARTON_SEARCH = ${JSON.stringify(entries).replace(/</g, '\\u003c')};\n`;
}

/** The browser side: every word of the query must be in the section; headings rank first. */
export const SEARCH_SCRIPT = `(() => {
  const input = document.getElementById('search');
  const list = document.getElementById('search-results');
  if (!input || !list || !window.CARTON_SEARCH) return;
  const show = () => {
    const words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    list.replaceChildren();
    if (!words.length) { list.hidden = true; return; }
    const hits = [];
    for (const e of window.CARTON_SEARCH) {
      const head = e.heading.toLowerCase(), body = e.text.toLowerCase();
      if (!words.every((w) => head.includes(w) || body.includes(w))) continue;
      hits.push([words.filter((w) => head.includes(w)).length, e]);
    }
    hits.sort((a, b) => b[0] - a[0]);
    for (const [, e] of hits.slice(0, 20)) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = e.href;
      a.textContent = e.heading;
      const where = document.createElement('span');
      where.className = 'where';
      where.textContent = ' — ' + e.page;
      li.append(a, where);
      list.append(li);
    }
    if (!hits.length) { const li = document.createElement('li'); li.textContent = 'nothing found'; list.append(li); }
    list.hidden = false;
  };
  input.addEventListener('input', show);
  input.addEventListener('keydown', (event) => { if (event.key === 'Escape') { input.value = ''; show(); } });
})();
`;
