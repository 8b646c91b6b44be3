// Chapter 10 — exercise: .dockerignore patterns as regular expressions.
import { todo } from '../../lib/todo.js';
import * as base from '../../solutions/10-build/ignore.js';
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
export const parseIgnore = (text: string): IgnoreRule[] => base.parseIgnore(text, patternRegex);

export { isIgnored } from '../../solutions/10-build/ignore.js';
