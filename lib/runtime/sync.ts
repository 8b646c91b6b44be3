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

const early: Array<Record<string, unknown>> = [];

/**
 * The next message (one JSON object a line) that has `key`: carton's answers may come in
 * another order than the questions were asked (its go, after the cgroups and the network,
 * and a terminal's name), so one read earlier than asked for is kept for its turn.
 */
export function readMessage<T>(fd: number, key: string): T | null {
  for (;;) {
    const kept = early.findIndex((m) => key in m);
    if (kept >= 0) return early.splice(kept, 1)[0] as T;
    const line = readLine(fd);
    if (line === null) return null;
    early.push(JSON.parse(line) as Record<string, unknown>);
  }
}

export function writeLine(fd: number, value: unknown): void {
  writeSync(fd, JSON.stringify(value) + '\n');
}

/**
 * A stage (run's or exec's) failed before execve: tell carton why on the sync socket (or,
 * if carton is gone, stderr) and leave with the exit code Docker uses for it. Not through
 * process.exit: see exitNow. `beforeExit` runs once the failure is written.
 */
export function failStage(fd: number, error: unknown, beforeExit?: () => void): never {
  const failure: StageFailure = {
    error: error instanceof Error ? error.message : String(error),
    hint: (error as { hint?: string }).hint,
    exitCode: (error as { exitCode?: number }).exitCode ?? 125,
  };
  try {
    writeLine(fd, failure);
    beforeExit?.();
  } catch {
    process.stderr.write(`carton: ${failure.error}\n`);
  }
  exitNow(failure.exitCode);
}
