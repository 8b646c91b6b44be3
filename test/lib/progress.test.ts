// Pull progress as Docker prints it: one line per phase off a terminal, lines redrawn in
// place on one (never more than the blobs there are), sizes in Docker's decimal units.
import { describe, expect, it } from 'vitest';
import { bytes, progressLine, progressPrinter } from '../../lib/cli/progress.js';
import type { Progress } from '../../solutions/07-images/types.js';

const digest = 'sha256:' + 'ab'.repeat(32);
const other = 'sha256:' + 'cd'.repeat(32);
const at = (phase: Progress['phase'], current = 0, total = 2_000_000, d = digest): Progress => ({ digest: d, phase, current, total });

function sink(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let written = '';
  const stream = { isTTY, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => written };
}

describe('pull progress', () => {
  it('sizes in decimal units, as Docker shows them', () => {
    expect([bytes(0), bytes(999), bytes(1000), bytes(1_990_000), bytes(25_300_000), bytes(3e9)]).toEqual(['0B', '999B', '1.00kB', '1.99MB', '25.3MB', '3.00GB']);
  });

  it('a line names the blob by 12 hex digits, with a bar while it moves', () => {
    expect(progressLine(at('downloading', 1_000_000))).toBe(`${'ab'.repeat(6)}: Downloading [===================>                    ] 1.00MB/2.00MB`);
    expect(progressLine(at('done'), 'verifying')).toBe(`${'ab'.repeat(6)}: Download complete`);
    expect(progressLine(at('done'), 'extracting')).toBe(`${'ab'.repeat(6)}: Pull complete`);
    expect(progressLine(at('exists'))).toBe(`${'ab'.repeat(6)}: Already exists`);
  });

  it('off a terminal, one line per change of words: no line per chunk, and Download complete then Pull complete', () => {
    const { stream, text } = sink(false);
    const print = progressPrinter(stream);
    for (const p of [at('downloading', 1), at('downloading', 2), at('verifying'), at('done'), at('extracting'), at('done')]) print(p);
    expect(text().split('\n').filter(Boolean).map((l) => l.slice(14).replace(/ \[.*$/, ''))).toEqual(['Downloading', 'Verifying Checksum', 'Download complete', 'Extracting', 'Pull complete']);
  });

  it('on a terminal, each redraw moves up over the lines it drew before and rewrites all of them', () => {
    const { stream, text } = sink(true);
    const print = progressPrinter(stream);
    print(at('downloading', 1));
    print(at('exists', 0, 10, other));
    const frames = text().split(/(?=\x1b\[\d+A)/);
    expect(frames).toHaveLength(2);
    expect(frames[1].startsWith('\x1b[1A')).toBe(true); // up over the one line drawn first
    expect(frames[1].match(/\x1b\[2K/g)).toHaveLength(2); // then both lines, each cleared
    expect(frames[1]).toContain('Already exists');
  });
});
