// Pull, load and push progress, one line per blob as Docker prints it. On a terminal the lines are
// redrawn in place with a bar; elsewhere (logs, CI, tests) a line is printed when a blob
// changes phase, never for every chunk.
import type { Progress } from '../../solutions/07-images/types.js';

const WORDS: Record<Progress['phase'], string> = {
  exists: 'Already exists', downloading: 'Downloading', verifying: 'Verifying Checksum', extracting: 'Extracting', done: 'Pull complete',
  pushing: 'Pushing', pushed: 'Pushed',
};

/** A push's words where they differ: 'exists' means the registry has the blob. */
export const PUSH_WORDS: Partial<typeof WORDS> = { exists: 'Layer already exists' };

export function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)}${units[unit]}`;
}

function bar(current: number, total: number, width = 40): string {
  if (!total) return '';
  const filled = Math.min(width, Math.floor((current / total) * width));
  return `[${'='.repeat(Math.max(0, filled - 1))}${filled ? '>' : ''}${' '.repeat(width - filled)}] ${bytes(current)}/${bytes(total)}`;
}

/** `previous`: the blob's phase before this one; "done" after a download is not yet the end. */
export function progressLine(p: Progress, previous?: Progress['phase'], words: Partial<typeof WORDS> = {}): string {
  const id = p.digest.replace(/^sha256:/, '').slice(0, 12);
  const moving = p.phase === 'downloading' || p.phase === 'pushing' || (p.phase === 'extracting' && p.current > 0);
  const word = p.phase === 'done' && (previous === 'verifying' || previous === 'downloading') ? 'Download complete' : words[p.phase] ?? WORDS[p.phase];
  return `${id}: ${word}${moving && p.total ? ' ' + bar(p.current, p.total) : ''}`;
}

/** A progress callback that writes to `out` (a TTY gets redrawn lines); `words` as PUSH_WORDS. */
export function progressPrinter(out: NodeJS.WriteStream, words: Partial<typeof WORDS> = {}): (p: Progress) => void {
  const lines = new Map<string, { text: string; phase: Progress['phase']; word: string }>();
  /** Record `p`; true when its words changed ("Download complete" → "Pull complete" too). */
  const update = (p: Progress): boolean => {
    const before = lines.get(p.digest);
    const text = progressLine(p, before?.phase, words);
    const word = text.replace(/ \[.*$/, '');
    lines.set(p.digest, { text, phase: p.phase, word });
    return before?.word !== word;
  };
  if (!out.isTTY) {
    return (p) => {
      if (update(p)) out.write(lines.get(p.digest)!.text + '\n');
    };
  }
  let drawn = 0;
  let last = 0;
  return (p) => {
    const phaseChanged = update(p);
    const now = Date.now();
    if (!phaseChanged && now - last < 100) return; // ten redraws a second are plenty
    last = now;
    const text = [...lines.values()].map((l) => `\x1b[2K${l.text}\n`).join('');
    out.write((drawn ? `\x1b[${drawn}A` : '') + text);
    drawn = lines.size;
  };
}
