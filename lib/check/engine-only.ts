// The engine is the one way to containers (lib/runtime/engine.ts): the front ends (the CLI's
// commands, compose, build) may read records and render them, but never create, start,
// signal, pause, exec in or remove a container, nor change its status, through the modules
// the engine is made of. `npm run check` fails on an import that goes around it.
import { join, relative } from 'node:path';
import { importsOf, tsFiles } from './switch.js';

/** The modules the engine is made of: only lib/runtime/ itself imports them. */
export const ENGINE_PARTS = ['control', 'lifecycle', 'run', 'start', 'exec', 'status', 'attach-client', 'hooks', 'monitor', 'copy'].map((m) => `lib/runtime/${m}.ts`);

/** Where the front ends are. */
export const FRONT_ENDS = ['lib/cli', 'lib/compose', 'lib/build'];

/** "lib/cli/commands/kill.ts:4 takes lib/runtime/control.ts" for every import that goes around the engine. */
export function importsAroundEngine(repo: string): string[] {
  const parts = new Set(ENGINE_PARTS.map((p) => join(repo, p)));
  return FRONT_ENDS.flatMap((dir) => tsFiles(join(repo, dir)).flatMap((file) =>
    importsOf(file).filter((i) => parts.has(i.module)).map((i) => `${relative(repo, file)}:${i.line + 1} takes ${relative(repo, i.module)}`)));
}
