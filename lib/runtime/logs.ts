// A detached container's output, in Docker's json-file format: one JSON object per line,
//   {"log":"hello\n","stream":"stdout","time":"2026-11-23T14:52:00.123456789Z"}
// so `carton logs` can show timestamps (-t), the last lines (--tail) and follow (-f).
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerDir } from './state.js';

export interface LogEntry {
  log: string;
  stream: 'stdout' | 'stderr';
  time: string;
}

export function logPath(id: string): string {
  return join(containerDir(id), 'container.log');
}

/**
 * A writer that splits output into lines, keeping a partial line until its newline comes.
 * A write that fails (ENOSPC on a full disk, EDQUOT, EIO) must not take the container with
 * it: the line is lost, the failure is said once through `onError`, and logging goes on
 * (the disk may be freed).
 */
export function logWriter(id: string, onError: (error: NodeJS.ErrnoException) => void = () => {}): { write(stream: 'stdout' | 'stderr', data: Buffer): void; flush(): void } {
  const path = logPath(id);
  const partial: Record<string, string> = { stdout: '', stderr: '' };
  let failing = false;
  const emit = (stream: 'stdout' | 'stderr', log: string) => {
    const entry: LogEntry = { log, stream, time: new Date().toISOString() };
    try {
      appendFileSync(path, JSON.stringify(entry) + '\n');
      failing = false;
    } catch (error) {
      if (!failing) onError(error as NodeJS.ErrnoException);
      failing = true;
    }
  };
  return {
    write(stream, data) {
      const text = partial[stream] + data.toString('utf8');
      const lines = text.split(/(?<=\n)/);
      partial[stream] = lines.at(-1)!.endsWith('\n') ? '' : lines.pop()!;
      for (const line of lines) emit(stream, line);
    },
    flush() {
      for (const stream of ['stdout', 'stderr'] as const) {
        if (partial[stream]) emit(stream, partial[stream]);
        partial[stream] = '';
      }
    },
  };
}

/** Parse the log from byte `offset`; returns the entries and the offset after them. */
export function readLog(id: string, offset = 0): { entries: LogEntry[]; offset: number } {
  const path = logPath(id);
  if (!existsSync(path)) return { entries: [], offset };
  const text = readFileSync(path).subarray(offset).toString('utf8');
  const end = text.lastIndexOf('\n') + 1; // only whole lines: a writer may be mid-line
  const entries = text.slice(0, end).split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogEntry);
  return { entries, offset: offset + Buffer.byteLength(text.slice(0, end)) };
}
