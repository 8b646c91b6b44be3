// Where the workbook reads and writes. CARTON_WORKBOOK_ROOT points it at another copy of the
// repository (tests use a temporary copy so that they never touch the real exercises/);
// CARTON_WORKBOOK_STATE moves the progress file.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function workbookRoot(): string {
  return process.env.CARTON_WORKBOOK_ROOT || repoRoot;
}

export function statePath(): string {
  return process.env.CARTON_WORKBOOK_STATE || join(workbookRoot(), '.carton-workbook.json');
}
