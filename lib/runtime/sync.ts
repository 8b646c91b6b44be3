// Blocking line I/O on the sync socket, for the stage. The stage must not use async fs: after
// it changes namespaces, libuv's threadpool would still live in the old ones.
import { readSync, writeSync } from 'node:fs';
import { exitNow } from '../sys/index.js';
import type { StageFailure } from './stage-config.js';

let pending = '';

export function readLine(fd: number): string | null {
  const buffer = Buffer.alloc(65536);
  for (;;) {
    const newline = pending.indexOf('\n');
    if (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      return line;
    }
    let n: number;
    try {
      n = readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      throw error;
    }
    if (n === 0) return null;
    pending += buffer.toString('utf8', 0, n);
  }
}

export function writeLine(fd: number, value: unknown): void {
  writeSync(fd, JSON.stringify(value) + '\n');
}

/**
 * A stage (run's or exec's) failed before execve: tell carton why on the sync socket (or,
 * if carton is gone, stderr) and leave with the exit code Docker uses for it. Not through
 * process.exit: see exitNow.
 */
export function failStage(fd: number, error: unknown): never {
  const failure: StageFailure = {
    error: error instanceof Error ? error.message : String(error),
    hint: (error as { hint?: string }).hint,
    exitCode: (error as { exitCode?: number }).exitCode ?? 125,
  };
  try {
    writeLine(fd, failure);
  } catch {
    process.stderr.write(`carton: ${failure.error}\n`);
  }
  exitNow(failure.exitCode);
}
