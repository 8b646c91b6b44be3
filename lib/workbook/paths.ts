// Where the workbook reads and writes. CARTON_WORKBOOK_ROOT points it at another copy of the
// repository (tests use a temporary copy so that they never touch the real exercises/);
// CARTON_WORKBOOK_STATE moves the progress file.
// Both rules live in lib/impl-name.ts, which the implementation switch reads too.
import { progressFile, workbookRoot } from '../impl-name.js';

export { workbookRoot };

/** The progress file: the same rule as the implementation switch's. */
export function statePath(): string {
  return progressFile();
}
