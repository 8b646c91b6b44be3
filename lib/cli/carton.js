#!/usr/bin/env node
// The `carton` command. Day to day it runs the compiled JavaScript in dist/ (no TypeScript
// compiler on the start path: tsx's loader alone costs ~200 ms a process). With
// CARTON_IMPL=exercises, or before `npm run build`, it runs the TypeScript sources through
// tsx, so that a learner's edits take effect at once.
import { existsSync } from 'node:fs';

const compiled = new URL('../../dist/lib/cli/main.js', import.meta.url);
const fromSource = process.env.CARTON_IMPL === 'exercises' || process.env.CARTON_FROM_SOURCE === '1' || !existsSync(compiled);

// `carton logs web | head`: a closed pipe is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

let main;
if (fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(new URL('./main.ts', import.meta.url).href));
} else {
  ({ main } = await import(compiled.href));
}
process.exitCode = await main(process.argv.slice(2));
