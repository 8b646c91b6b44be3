// Chapter 10 — .dockerignore (the Dockerfile reference, ".dockerignore file"): one pattern a
// line, '#' lines are comments, paths are relative to the context and cleaned (a leading '/'
// means nothing), '*' matches within one path element, '?' one character, '[a-z]' a class,
// '**' any number of elements, and '!' makes an exception. The last pattern that matches a
// path decides; a pattern that matches a directory matches what is in it.
import { posix } from 'node:path';

export interface IgnoreRule {
  pattern: string;
  exception: boolean;
  regex: RegExp;
}

/** The rules of a .dockerignore text, in order. (`toRegex` lets exercises/ pass the learner's patternRegex.) */
export function parseIgnore(text: string, toRegex: (pattern: string) => RegExp = patternRegex): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const exception = line.startsWith('!');
    if (exception) line = line.slice(1).trim();
    const pattern = posix.normalize(line).replace(/^\/+/, '').replace(/\/+$/, '');
    if (!pattern || pattern === '.') continue;
    rules.push({ pattern, exception, regex: toRegex(pattern) });
  }
  return rules;
}

// #region patternRegex
/** A pattern as a regular expression over a whole cleaned path ("a/b/c"). */
export function patternRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      // "**/" or a trailing "**": any number of path elements, including none.
      i++;
      if (pattern[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) re += '\\' + pattern[++i];
    else re += c.replace(/[.+^${}()|]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
// #endregion patternRegex

/** Is `path` (relative to the context, cleaned) excluded from the context? */
export function isIgnored(rules: IgnoreRule[], path: string): boolean {
  const parts = path.split('/');
  let ignored = false;
  for (const rule of rules) {
    // The path itself, or one of its parent directories.
    for (let n = 1; n <= parts.length; n++) {
      if (rule.regex.test(parts.slice(0, n).join('/'))) {
        ignored = !rule.exception;
        break;
      }
    }
  }
  return ignored;
}
