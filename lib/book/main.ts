// `npm run book`: build book/html/ from chapters/*/README.md and the repository README.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chapters } from '../exercises/index.js';
import { buildBook } from './build.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const outDir = join(repo, 'book', 'html');
const readme = join(repo, 'README.md');

try {
  const pages = buildBook({
    chaptersDir: join(repo, 'chapters'),
    outDir,
    repoRoot: repo,
    chapters,
    intro: existsSync(readme) ? readFileSync(readme, 'utf8') : undefined,
  });
  console.log(`book: ${pages.length} chapter page(s) in ${join(outDir, 'index.html')}`);
} catch (error) {
  console.error(`book: ${(error as Error).message}`);
  process.exit(1);
}
