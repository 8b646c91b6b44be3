// A build's progress as BuildKit shows it. Plain (a log, CI, a pipe): numbered lines,
//   #3 [2/3] RUN make
//   #3 0.214 cc -o app app.c
//   #3 DONE 1.2s
// and `#4 CACHED` for a cache hit, `#3 ERROR: …` for a failure. On a terminal: one line per
// step with its elapsed time, redrawn in place, and the tail of a running step's output
// under it; a failed step's whole output is printed once the display stops.

export interface Step {
  /** A line of the step's output (a RUN's stdout and stderr, a pull's progress). */
  output(line: string): void;
  /** A line about the step itself, kept on the display: `naming to docker.io/library/app:1 done`. */
  status(text: string): void;
  cached(): void;
  done(): void;
  error(message: string): void;
}

export interface BuildProgress {
  /** A new step, named as BuildKit names it: `[2/3] RUN make`, `exporting to image`. */
  step(name: string): Step;
  /** Stop drawing; `ok` false after a failure. */
  close(ok: boolean): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export const silentProgress: BuildProgress = {
  step: () => ({ output() {}, status() {}, cached() {}, done() {}, error() {} }),
  close() {},
};

export function plainProgress(write: (text: string) => void, now: () => number = Date.now): BuildProgress {
  let count = 0;
  return {
    step(name) {
      const n = ++count;
      const started = now();
      write(`#${n} ${name}\n`);
      return {
        output: (line) => write(`#${n} ${((now() - started) / 1000).toFixed(3)} ${line}\n`),
        status: (text) => write(`#${n} ${text}\n`),
        cached: () => write(`#${n} CACHED\n`),
        done: () => write(`#${n} DONE ${seconds(now() - started)}\n`),
        error: (message) => write(`#${n} ERROR: ${message}\n`),
      };
    },
    close() {},
  };
}

interface Shown {
  name: string;
  started: number;
  ended?: number;
  cached: boolean;
  failed: boolean;
  lines: string[];
  statuses: string[];
}

/** How many lines of a running step's output the terminal shows, and how many are kept for a failure. */
const TAIL = 6;
const KEPT = 200;

export function ttyProgress(out: NodeJS.WriteStream, now: () => number = Date.now): BuildProgress {
  const began = now();
  const steps: Shown[] = [];
  let drawn = 0;
  let last = 0;
  let closed = false;
  const width = () => Math.max(40, out.columns || 80);
  const fit = (text: string, right = '') => {
    const room = width() - 1 - right.length;
    const left = text.length > room - 1 ? `${text.slice(0, room - 2)}…` : text;
    return right ? `${left.padEnd(room)}${right}` : left;
  };
  const draw = (force = false) => {
    const at = now();
    if (!force && at - last < 100) return; // ten redraws a second are plenty
    last = at;
    const finished = steps.filter((s) => s.ended !== undefined).length;
    const lines = [fit(`[+] Building ${seconds(at - began)} (${finished}/${steps.length})${closed && !steps.some((s) => s.failed) ? ' FINISHED' : ''}`)];
    for (const s of steps) {
      const prefix = s.failed ? ' => ERROR ' : s.cached ? ' => CACHED ' : ' => ';
      lines.push(fit(`${prefix}${s.name}`, seconds((s.ended ?? at) - s.started)));
      for (const status of s.statuses) lines.push(fit(` => => ${status}`));
      if (s.ended === undefined) for (const line of s.lines.slice(-TAIL)) lines.push(fit(` => => # ${line}`));
    }
    out.write(`${drawn ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l}\n`).join('')}\x1b[J`);
    drawn = lines.length;
  };
  const timer = setInterval(() => draw(), 100);
  timer.unref();
  return {
    step(name) {
      const s: Shown = { name, started: now(), cached: false, failed: false, lines: [], statuses: [] };
      steps.push(s);
      draw(true);
      const end = () => {
        s.ended = now();
        draw(true);
      };
      return {
        output(line) {
          s.lines.push(line.replace(/[\x00-\x1f\x7f]/g, ' '));
          if (s.lines.length > KEPT) s.lines.shift();
          draw();
        },
        status(text) {
          s.statuses.push(text);
          draw(true);
        },
        cached() {
          s.cached = true;
          end();
        },
        done: end,
        error() {
          s.failed = true;
          end();
        },
      };
    },
    close(ok) {
      clearInterval(timer);
      closed = true;
      draw(true);
      if (ok) return;
      for (const s of steps.filter((x) => x.failed && x.lines.length)) {
        out.write(`------\n > ${s.name}:\n${s.lines.map((l) => `${l}\n`).join('')}------\n`);
      }
    },
  };
}

/** The progress for `--progress auto|plain|tty` on `out`; quiet prints nothing. */
export function buildProgress(mode: string, out: NodeJS.WriteStream, quiet: boolean): BuildProgress {
  if (quiet) return silentProgress;
  const tty = mode === 'tty' || (mode === 'auto' && out.isTTY);
  return tty ? ttyProgress(out) : plainProgress((text) => out.write(text));
}
