// npm run check's rule that the front ends reach containers only through the engine
// (lib/check/engine-only.ts), on a made-up repository, and on carton's own.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importsAroundEngine } from '../../lib/check/engine-only.js';
import { removeDir, repo as repoRoot, tempDir } from '../helpers/index.js';

describe('importsAroundEngine', () => {
  const repo = tempDir('carton-engine-');
  afterAll(() => removeDir(repo));
  const write = (path: string, text: string) => {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    writeFileSync(join(repo, path), text);
  };

  it('finds a front end that takes a part of the engine, statically or dynamically; the engine itself, types and reads are fine', () => {
    write('lib/runtime/engine.ts', "import { stopContainer } from './control.js';\n");
    write('lib/runtime/control.ts', 'export function stopContainer() {}\n');
    write('lib/cli/commands/stop.ts', "import { stopContainer } from '../../runtime/control.js';\n");
    write('lib/cli/commands/kill.ts', "import * as engine from '../../runtime/engine.js';\nimport type { Io } from '../../runtime/start.js';\nimport { loadContainer } from '../../runtime/state.js';\n");
    write('lib/compose/up.ts', "async function f() {\n  const { runDetached } = await import('../runtime/run.js');\n}\n");
    write('lib/build/builder.ts', "import { launch } from '../runtime/lifecycle.js';\n");
    expect(importsAroundEngine(repo).sort()).toEqual([
      'lib/build/builder.ts:1 takes lib/runtime/lifecycle.ts',
      'lib/cli/commands/stop.ts:1 takes lib/runtime/control.ts',
      'lib/compose/up.ts:2 takes lib/runtime/run.ts',
    ]);
  });

  it("carton's own front ends go through the engine", () => {
    expect(importsAroundEngine(repoRoot)).toEqual([]);
  });
});
