// Commands that take several containers (stop, kill, rm) act on each in turn, print each
// reference that succeeded, report each failure, and exit 1 if any failed, as Docker does.
import { renderError } from './render.js';

export async function eachContainer(refs: string[], act: (ref: string) => Promise<void>): Promise<number> {
  let failed = 0;
  for (const ref of refs) {
    try {
      await act(ref);
      process.stdout.write(`${ref}\n`);
    } catch (error) {
      failed++;
      process.stderr.write(await renderError(error));
    }
  }
  return failed ? 1 : 0;
}
