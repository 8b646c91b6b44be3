// npm run check's rule that lib/ reaches exercises only through the implementation switch,
// on a made-up repository: each way of importing is recognised, given code may be taken
// directly, and a reason written beside an import lets it through.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importsAroundSwitch } from '../../lib/check/switch.js';
import { removeDir, repo as repoRoot, tempDir } from '../helpers/index.js';
import { exercises as allExercises } from '../../lib/exercises/index.js';

describe('importsAroundSwitch', () => {
  const repo = tempDir('carton-switch-');
  afterAll(() => removeDir(repo));
  const write = (path: string, text: string) => {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    writeFileSync(join(repo, path), text);
  };
  const exercises = [{ file: '05-x/overlay.ts', functions: ['mountOverlay'] }];

  it('finds static, dynamic, destructured and whole-module takes of an exercise function, and nothing else', () => {
    write('solutions/05-x/overlay.ts', 'export function mountOverlay() {}\nexport function given() {}\n');
    write('solutions/05-x/index.ts', "export * from './overlay.js';\n");
    write('lib/a.ts', "import { given, mountOverlay } from '../solutions/05-x/overlay.js';\n");
    write('lib/b.ts', "import { given } from '../solutions/05-x/overlay.js';\nimport type { T } from '../solutions/05-x/overlay.js';\n");
    write('lib/deep/c.ts', "async function f() {\n  const { mountOverlay: m } = await import('../../solutions/05-x/overlay.js');\n}\n");
    write('lib/d.ts', "async function f() {\n  const [{ given }, { mountOverlay }] = await Promise.all([import('../solutions/05-x/overlay.js'), import('../solutions/05-x/overlay.js')]);\n}\n");
    write('lib/e.ts', "async function f() {\n  return (await import('../solutions/05-x/overlay.js')).mountOverlay;\n}\n");
    write('lib/f.ts', "import * as all from '../solutions/05-x/index.js';\n");
    write('lib/g.ts', "// around the switch: a reason\nimport { mountOverlay } from '../solutions/05-x/overlay.js';\n");
    write('lib/h.ts', "async function f() {\n  return import('../solutions/05-x/index.js');\n}\n");
    const found = importsAroundSwitch(repo, join(repo, 'lib'), exercises).map((a) => `${a.where} ${a.names.join(',')}`).sort();
    expect(found).toEqual(['lib/a.ts:1 mountOverlay', 'lib/d.ts:2 mountOverlay', 'lib/deep/c.ts:2 mountOverlay', 'lib/e.ts:2 mountOverlay', 'lib/f.ts:1 *', 'lib/h.ts:2 *']);
  });

  it("carton's own lib/ takes no exercise function around the switch", () => {
    expect(importsAroundSwitch(repoRoot, join(repoRoot, 'lib'), allExercises, [join(repoRoot, 'lib/impl.ts')])).toEqual([]);
  });
});
