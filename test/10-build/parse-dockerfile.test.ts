// Reading a Dockerfile: directives, comments, continuations, here-documents, flags, the JSON
// form, and errors that name the line.
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '@impl/10-build/index.js';

describe('parseDockerfile', () => {
  it('directives, comments and continuation lines (comments inside them skipped)', () => {
    const file = parseDockerfile('# syntax=docker/dockerfile:1\n# escape=\\\n\n# a comment\nFROM busybox AS base\nRUN echo a \\\n  # not a line\n  && echo b\nCMD ["sh", "-c", "echo hi"]\n');
    expect(file.syntax).toBe('docker/dockerfile:1');
    expect(file.instructions.map((i) => [i.line, i.keyword, i.args])).toEqual([
      [5, 'FROM', 'busybox AS base'],
      [6, 'RUN', 'echo a   && echo b'],
      [9, 'CMD', '["sh", "-c", "echo hi"]'],
    ]);
    expect(file.instructions[2].json).toEqual(['sh', '-c', 'echo hi']);
    expect(file.instructions[1].json).toBeUndefined();
  });
  it('the escape directive changes the continuation character; a directive after anything else is a comment', () => {
    const file = parseDockerfile('# escape=`\nFROM scratch\nCOPY a `\n  b /x/\n');
    expect(file.escape).toBe('`');
    expect(file.instructions[1].args).toBe('a   b /x/');
    expect(parseDockerfile('FROM scratch\n# escape=`\nCOPY a \\\n b /\n').instructions[1].args).toBe('a  b /');
  });
  it('flags before the arguments; keywords in any case', () => {
    const [, copy] = parseDockerfile('from scratch\ncopy --from=build --chown=1:2 /a /b\n').instructions;
    expect(copy).toMatchObject({ keyword: 'COPY', flags: { from: 'build', chown: '1:2' }, args: '/a /b' });
  });
  it('here-documents: their text up to the terminator, <<- strips tabs', () => {
    const [, run, copy] = parseDockerfile('FROM busybox\nRUN <<EOF\necho one\necho two\nEOF\nCOPY <<-"END" /f\n\tindented\n\tEND\n').instructions;
    expect(run.heredocs).toEqual([{ name: 'EOF', text: 'echo one\necho two\n', chomp: false }]);
    expect(copy.heredocs).toEqual([{ name: 'END', text: 'indented\n', chomp: true }]);
  });
  it('errors name the line', () => {
    expect(() => parseDockerfile('FROM a\nFOO bar\n', 'Dockerfile.dev')).toThrow(/^Dockerfile\.dev:2: unknown instruction: FOO/);
    expect(() => parseDockerfile('RUN echo\n')).toThrow(/:1: the first instruction must be FROM/);
    expect(() => parseDockerfile('ARG X\nFROM a\nRUN\n')).toThrow(/:3: RUN needs arguments/);
    expect(() => parseDockerfile('FROM a\nRUN <<EOF\necho\n')).toThrow(/:2: here-document <<EOF has no line "EOF"/);
    expect(() => parseDockerfile('# comment only\n')).toThrow(/no instructions/);
  });
});
