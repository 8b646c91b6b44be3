// Commands that take several operands (stop, kill, rm, network rm) act on each in turn, print
// each reference that succeeded, report each failure, and exit 1 if any failed, as Docker
// does; prune commands ask first, unless -f.
import { createInterface } from 'node:readline/promises';
import { renderError } from './render.js';
import { CartonError } from '../sys/index.js';

export async function eachContainer(refs: string[], act: (ref: string) => unknown): Promise<number> {
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

/** Ask a yes/no question on the terminal; without one, refuse (the caller offers -f). */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new CartonError('refusing to prune without confirmation', 'add -f (--force) to prune without a prompt');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}
