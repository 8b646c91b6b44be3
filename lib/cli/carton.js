#!/usr/bin/env node
// The `carton` command. Day to day it runs the compiled JavaScript in dist/ (no TypeScript
// compiler on the start path: tsx's loader alone costs ~200 ms a process). With
// CARTON_IMPL=exercises, or before `npm run build`, it runs the TypeScript sources through
// tsx, so that a learner's edits take effect at once.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// carton needs a supported Node (package.json "engines"). `npm ci` installs one beside it
// (node_modules/.bin/node), and lib/cli/carton, the launcher on the PATH, runs it.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`carton: needs Node.js 24 or later, not ${process.version}\n` +
    'hint: run it as lib/cli/carton (it uses the Node that `npm run setup` installs in node_modules), or install Node 24+\n');
  process.exit(125);
}

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
if (!fromSource) {
  // V8 keeps the bytecode of dist/ between runs: every carton process, and the stage and the
  // monitor (they inherit NODE_COMPILE_CACHE), start faster from the second run on. Not in
  // Node's default place, the OS temp dir: any local user could plant "bytecode" there for
  // root to run. dist/.compile-cache is as trusted as dist/ itself.
  const cache = fileURLToPath(new URL('../../dist/.compile-cache', import.meta.url));
  process.env.NODE_COMPILE_CACHE = cache;
  module.enableCompileCache?.(cache);
}
if (fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(new URL('./main.ts', import.meta.url).href));
} else {
  ({ main } = await import(compiled.href));
}
process.exitCode = await main(process.argv.slice(2));
