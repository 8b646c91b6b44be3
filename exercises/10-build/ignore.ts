// Chapter 10 — exercise: .dockerignore patterns as regular expressions.
import { todo } from '../../lib/todo.js';
import { posix } from 'node:path';
import type { IgnoreRule } from '../../solutions/10-build/ignore.js';
export type { IgnoreRule } from '../../solutions/10-build/ignore.js';

/**
 * A pattern as a RegExp over a whole cleaned path ("a/b/c", anchored at both ends): "*" is
 * any run of characters but "/", "?" one character but "/", "[...]" a class ("[!...]"
 * negated), "**" any number of path elements including none ("**\/" as a prefix), "\"
 * escapes the next character, and everything else is literal (mind ".", "+", "(", …).
 */
export function patternRegex(pattern: string): RegExp {
  // TODO: build the expression character by character
  void pattern;
  todo('patternRegex', 'exercises/10-build/ignore.ts');
}

/** The rules of a .dockerignore text, in order (with the learner's patternRegex). */
export function parseIgnore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const exception = line.startsWith('!');
    if (exception) line = line.slice(1).trim();
    const pattern = posix.normalize(line).replace(/^\/+/, '').replace(/\/+$/, '');
    if (!pattern || pattern === '.') continue;
    rules.push({ pattern, exception, regex: patternRegex(pattern) });
  }
  return rules;
}

export { isIgnored } from '../../solutions/10-build/ignore.js';
