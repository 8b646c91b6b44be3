// Where a link in a lesson goes once the lesson is a web page: another chapter's README
// becomes that chapter's page, a repository file becomes plain text (the book is read
// without the repository next to it), anything absolute (https:, mailto:, #anchor) stays.
import { dirname, relative, resolve, sep } from 'node:path';

export type LinkTarget = { kind: 'page'; href: string } | { kind: 'external'; href: string } | { kind: 'text' };

/**
 * `href` as written in the Markdown file `source`; `chaptersDir` holds the chapters and
 * `pages` the chapter dirs that have a page in the book.
 */
export function resolveLink(href: string, source: string, chaptersDir: string, pages: Set<string>): LinkTarget {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#')) return { kind: 'external', href };
  const [path, anchor] = href.split('#', 2);
  const target = resolve(dirname(source), path);
  const parts = relative(chaptersDir, target).split(sep);
  if (parts.length === 2 && parts[1] === 'README.md' && pages.has(parts[0])) {
    return { kind: 'page', href: `${parts[0]}.html${anchor ? '#' + anchor : ''}` };
  }
  if (parts.length === 1 && parts[0] !== '..' && pages.has(parts[0])) return { kind: 'page', href: `${parts[0]}.html` };
  return { kind: 'text' };
}

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces become hyphens. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}
