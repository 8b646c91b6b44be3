// A file written whole or not at all: the text goes to a temporary name beside it (with this
// process's pid, so two writers never share one) and is renamed over the file, which rename(2)
// does atomically. A reader sees the old file or the new one, never half of either.
import { renameSync, rmSync, writeFileSync } from 'node:fs';

export function writeWhole(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true }); // a full disk leaves no half-written temporary behind
    throw error;
  }
}
