// Blocking line I/O on the sync socket, for the stage. The stage must not use async fs: after
// it changes namespaces, libuv's threadpool would still live in the old ones.
import { readSync, writeSync } from 'node:fs';

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
