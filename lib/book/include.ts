// Code excerpts in the lessons come from the tested solutions, never from copies: a line
//   <!-- include: solutions/01-chroot/chroot.ts#enterRoot -->
// is replaced by the code between `// #region enterRoot` and `// #endregion enterRoot` in
// that file, as a ```ts block. Used by the book and by the workbook's terminal reader.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const INCLUDE = /^<!--\s*include:\s*(\S+?)#([\w-]+)\s*-->\s*$/;

export class IncludeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncludeError';
  }
}

/** The lines of region `name` in `source`, with the common indentation removed. */
export function extractRegion(source: string, name: string): string | undefined {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l.trim() === `// #region ${name}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && l.trim() === `// #endregion ${name}`);
  if (end < 0) return undefined;
  return dedent(lines.slice(start + 1, end)).join('\n');
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.match(/^\s*/)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut).trimEnd());
}

/** Replace every include line of `markdown` with the region's code. `where` names the chapter in errors. */
export function expandIncludes(markdown: string, repoRoot: string, where: string): string {
  return markdown
    .split('\n')
    .map((line) => {
      const m = INCLUDE.exec(line.trim());
      if (!m) return line;
      const [, file, region] = m;
      const path = join(repoRoot, file);
      if (!existsSync(path)) {
        throw new IncludeError(`${where}: include of \`${file}#${region}\`: the file ${file} does not exist`);
      }
      const code = extractRegion(readFileSync(path, 'utf8'), region);
      if (code === undefined) {
        throw new IncludeError(
          `${where}: include of \`${file}#${region}\`: no \`// #region ${region}\` … \`// #endregion ${region}\` in ${file}`,
        );
      }
      return '```ts\n' + code + '\n```';
    })
    .join('\n');
}
