// Exercise docker-ignore: .dockerignore patterns as regular expressions over paths.
import { describe, expect, it } from 'vitest';
import { isIgnored, parseIgnore, patternRegex } from '@impl/10-build/index.js';

const ignored = (text: string, path: string) => isIgnored(parseIgnore(text), path);

describe('patternRegex', () => {
  it('* within one element, ? one character, [..] a class', () => {
    expect(patternRegex('*.md').test('README.md')).toBe(true);
    expect(patternRegex('*.md').test('docs/README.md')).toBe(false);
    expect(patternRegex('file?.txt').test('file1.txt')).toBe(true);
    expect(patternRegex('file?.txt').test('file10.txt')).toBe(false);
    expect(patternRegex('[ab]*').test('banana')).toBe(true);
    expect(patternRegex('[ab]*').test('cherry')).toBe(false);
  });
  it('** any number of elements, none included', () => {
    expect(patternRegex('**/*.go').test('main.go')).toBe(true);
    expect(patternRegex('**/*.go').test('a/b/c.go')).toBe(true);
    expect(patternRegex('docs/**').test('docs/a/b')).toBe(true);
    expect(patternRegex('a/**/z').test('a/z')).toBe(true);
    expect(patternRegex('a/**/z').test('a/b/c/z')).toBe(true);
  });
  it('dots and other regex characters are literal', () => {
    expect(patternRegex('a.txt').test('abtxt')).toBe(false);
    expect(patternRegex('(x)+').test('(x)+')).toBe(true);
  });
});

describe('isIgnored', () => {
  it('a pattern matches the path or a parent directory', () => {
    expect(ignored('node_modules', 'node_modules/a/b.js')).toBe(true);
    expect(ignored('/tmp/', 'tmp/x')).toBe(true); // cleaned: leading and trailing slashes mean nothing
    expect(ignored('tmp', 'tmpfile')).toBe(false);
  });
  it('the last matching pattern decides; ! makes exceptions', () => {
    const rules = '# comment\n*.md\n!README.md\n\ndocs\n!docs/keep.txt\n';
    expect(ignored(rules, 'CHANGES.md')).toBe(true);
    expect(ignored(rules, 'README.md')).toBe(false);
    expect(ignored(rules, 'docs/x')).toBe(true);
    expect(ignored(rules, 'docs/keep.txt')).toBe(false);
    expect(ignored('!a\na', 'a')).toBe(true);
  });
});
