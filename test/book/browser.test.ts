// The built book in a real headless Chromium: every page loads without console errors,
// every internal link answers 200 and its anchor exists, and a screenshot is a real PNG.
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chapters } from '../../lib/exercises/index.js';
import { buildBook } from '../../lib/book/build.js';
import { removeDir, repo, tempDir } from '../helpers/index.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.png': 'image/png' };

function serve(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path === '/' ? 'index.html' : path);
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe.skipIf(!hasChromium)(hasChromium ? 'the book in Chromium' : 'the book in Chromium (skipped: /usr/bin/chromium is absent)', () => {
  const work = tempDir('carton-browser-');
  const out = join(work, 'html');
  let server: Server;
  let browser: Browser;
  let base: string;
  const pages = buildBook({ chaptersDir: join(repo, 'chapters'), outDir: out, repoRoot: repo, chapters });

  beforeAll(async () => {
    server = await serve(out);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    removeDir(work);
  });

  it('loads every page without console errors, and every internal link resolves', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(`${page.url()}: ${m.text()}`));
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    const links = new Set<string>();
    for (const file of ['index.html', ...pages.map((p) => p.file)]) {
      const response = await page.goto(base + file);
      expect(response?.status(), file).toBe(200);
      expect(await page.locator('main h1, main h2').count(), file).toBeGreaterThan(0);
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      hrefs.filter((h) => h.startsWith(base)).forEach((h) => links.add(h));
    }
    // Each page once, with every anchor that links into it (the in-page contents make hundreds).
    const anchors = new Map<string, Set<string>>();
    for (const link of links) {
      const [url, anchor] = link.split('#');
      if (!anchors.has(url)) anchors.set(url, new Set());
      if (anchor) anchors.get(url)!.add(decodeURIComponent(anchor));
    }
    for (const [url, wanted] of anchors) {
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(200);
      const ids = new Set(await page.$$eval('[id]', (els) => els.map((e) => e.id)));
      for (const anchor of wanted) expect(ids.has(anchor), `${url}#${anchor}`).toBe(true);
    }
    expect(links.size).toBeGreaterThan(pages.length);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('puts the contents at the top of the index, and an in-page contents on every chapter', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(base + 'index.html');
    const box = await page.locator('ol.toc').boundingBox();
    expect(box!.y).toBeLessThan(800); // on the first screen, not 5,000 px down
    for (const p of pages) {
      await page.goto(base + p.file);
      const links = await page.$$eval('nav.page-toc a', (as) => as.map((a) => a.getAttribute('href')!));
      expect(links.length, p.file).toBeGreaterThan(1);
      const ids = await page.$$eval('[id]', (els) => els.map((e) => e.id));
      for (const href of links) expect(ids.filter((id) => id === decodeURIComponent(href.slice(1))), `${p.file}${href}`).toHaveLength(1);
    }
    await page.close();
  });

  it('finds a term with the search box, and the result leads to its section', async () => {
    const page = await browser.newPage();
    await page.goto(base + 'index.html');
    await page.fill('#search', 'pivot_root');
    const first = page.locator('#search-results a').first();
    await first.waitFor();
    expect((await first.textContent())!.toLowerCase()).toContain('pivot_root'); // headings rank first
    const href = (await first.getAttribute('href'))!;
    expect(href).toMatch(/^03-filesystem\.html#/);
    await first.click();
    await page.waitForURL((url) => url.pathname.endsWith('/03-filesystem.html'));
    expect(await page.locator(`[id="${href.split('#')[1]}"]`).count()).toBe(1);
    await page.fill('#search', 'zzzz-no-such-word');
    expect(await page.locator('#search-results li').first().textContent()).toBe('nothing found');
    await page.close();
  });

  it('cuts nothing off on a narrow screen: long lines scroll inside their block', async () => {
    const page = await browser.newPage({ viewport: { width: 600, height: 800 } });
    for (const file of ['index.html', ...pages.map((p) => p.file)]) {
      await page.goto(base + file);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${file}: the page is wider than the screen`).toBeLessThanOrEqual(0);
      const clipped = await page.$$eval('main pre, main table', (els) => els
        .filter((el) => el.scrollWidth > el.clientWidth && !['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
        .map((el) => (el.textContent ?? '').slice(0, 60)));
      expect(clipped, file).toEqual([]);
    }
    await page.close();
  });

  it('folds the exercises\' answers away until the reader opens them', async () => {
    const page = await browser.newPage();
    await page.goto(base + '03-filesystem.html');
    const answer = page.locator('details.answer').first();
    expect(await answer.locator('pre').isVisible()).toBe(false);
    await answer.locator('summary').click();
    expect(await answer.locator('pre').isVisible()).toBe(true);
    await page.close();
  });

  it('renders a chapter to a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(base + (pages[0]?.file ?? 'index.html'));
    const shot = join(work, 'chapter.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = readFileSync(shot);
    expect(png.length).toBeGreaterThan(1000);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    await page.close();
  });
});
