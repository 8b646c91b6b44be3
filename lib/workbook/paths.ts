// Where the workbook reads and writes. CARTON_WORKBOOK_ROOT points it at another copy of the
// repository (tests use a temporary copy so that they never touch the real exercises/);
// CARTON_WORKBOOK_STATE moves the progress file.
import { progressFile } from '../impl-name.js';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function workbookRoot(): string {
  return process.env.CARTON_WORKBOOK_ROOT || repoRoot;
}

/** The progress file: the same rule as the implementation switch's (lib/impl-name.ts). */
export function statePath(): string {
  return progressFile();
}
