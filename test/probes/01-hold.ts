// Shared tail of the chapter 01 probes: print a line, then wait until the test closes stdin,
// so the test can inspect /proc/<pid>/root and /proc/<pid>/cwd of a live process.
import { readSync } from 'node:fs';

export function holdAndReport(report: unknown): void {
  process.stdout.write(JSON.stringify(report) + '\n');
  const buffer = Buffer.alloc(16);
  try {
    while (readSync(0, buffer, 0, 16, null) > 0);
  } catch {
    // stdin closed or not readable: done either way
  }
}
