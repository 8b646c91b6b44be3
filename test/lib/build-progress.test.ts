// The build's progress display, on a clock the test moves: BuildKit's plain lines, and the
// terminal's redrawn lines (steps with their times, a running step's tail, a failed step's
// whole output once the display stops).
import { describe, expect, it } from 'vitest';
import { plainProgress, ttyProgress } from '../../lib/build/progress.js';

function clock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('plain progress', () => {
  it('numbers the steps and times their output and their end, as BuildKit', () => {
    const c = clock();
    let text = '';
    const progress = plainProgress((s) => (text += s), c.now);
    const from = progress.step('[1/2] FROM carton/busybox');
    from.done();
    const run = progress.step('[2/2] RUN make');
    c.advance(214);
    run.output('cc -o app app.c');
    c.advance(1000);
    run.done();
    progress.step('[2/2] COPY . /src').cached();
    const exporting = progress.step('exporting to image');
    exporting.status('naming to docker.io/library/app:1 done');
    exporting.done();
    progress.step('[3/3] RUN false').error('returned a non-zero code: 1');
    expect(text.split('\n')).toEqual([
      '#1 [1/2] FROM carton/busybox', '#1 DONE 0.0s',
      '#2 [2/2] RUN make', '#2 0.214 cc -o app app.c', '#2 DONE 1.2s',
      '#3 [2/2] COPY . /src', '#3 CACHED',
      '#4 exporting to image', '#4 naming to docker.io/library/app:1 done', '#4 DONE 0.0s',
      '#5 [3/3] RUN false', '#5 ERROR: returned a non-zero code: 1', '',
    ]);
  });
});

/** A terminal of `columns` that keeps what was drawn last (each redraw moves up over the one before). */
function terminal(columns = 60) {
  const frames: string[] = [];
  const out = { columns, isTTY: true, write: (s: string) => (frames.push(s), true) } as unknown as NodeJS.WriteStream;
  const screen = () => {
    const lines: string[] = [];
    let row = 0;
    for (const frame of frames) {
      const m = /^\x1b\[(\d+)A/.exec(frame);
      if (m) row -= Number(m[1]);
      for (const part of frame.replace(/^\x1b\[\d+A/, '').split('\n')) {
        if (part === '\x1b[J' || part === '') {
          if (part === '\x1b[J') lines.length = row;
          continue;
        }
        lines[row++] = part.replace('\x1b[2K', '');
      }
    }
    return lines;
  };
  return { out, frames, screen };
}

describe('terminal progress', () => {
  it('redraws one line per step with its time, and the tail of the running step under it', () => {
    const c = clock();
    const term = terminal();
    const progress = ttyProgress(term.out, c.now);
    progress.step('[1/2] FROM carton/busybox').done();
    const run = progress.step('[2/2] RUN make');
    for (let i = 1; i <= 8; i++) {
      c.advance(150);
      run.output(`line ${i}`);
    }
    const screen = term.screen();
    expect(screen[0]).toMatch(/^\[\+\] Building 1\.2s \(1\/2\)$/);
    expect(screen[1]).toMatch(/^ => \[1\/2\] FROM carton\/busybox +0\.0s$/);
    expect(screen[2]).toMatch(/^ => \[2\/2\] RUN make +1\.2s$/);
    expect(screen.slice(3)).toEqual(['line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 8'].map((l) => ` => => # ${l}`));
    expect(screen.every((l) => l.length < 60)).toBe(true);
    run.done();
    progress.close(true);
    expect(term.screen()).toEqual([expect.stringMatching(/^\[\+\] Building 1\.2s \(2\/2\) FINISHED$/), expect.any(String), expect.stringMatching(/RUN make +1\.2s$/)]);
  });

  it('marks cached and failed steps; a failure prints the step\'s whole output after the display', () => {
    const c = clock();
    const term = terminal();
    const progress = ttyProgress(term.out, c.now);
    progress.step('[2/3] COPY . /src').cached();
    const run = progress.step('[3/3] RUN make');
    for (let i = 1; i <= 10; i++) run.output(`error ${i}`);
    run.error('returned a non-zero code: 2');
    progress.close(false);
    const screen = term.screen();
    expect(screen[0]).not.toMatch(/FINISHED/);
    expect(screen[1]).toMatch(/^ => CACHED \[2\/3\] COPY/);
    expect(screen[2]).toMatch(/^ => ERROR \[3\/3\] RUN make/);
    expect(screen.slice(3)).toEqual(['------', ' > [3/3] RUN make:', ...Array.from({ length: 10 }, (_, i) => `error ${i + 1}`), '------']);
  });
});
