// How to start one of carton's own Node programs (the container stage, later the monitor).
// Compiled JavaScript when carton runs compiled (the everyday path: no TypeScript compiler
// on each start), the TypeScript source through tsx when carton itself runs from source
// (the learner's exercises mode, and the tests).
import { fileURLToPath } from 'node:url';

export function nodeProgram(name: string): string[] {
  const self = fileURLToPath(import.meta.url);
  if (self.endsWith('.ts')) {
    return ['--import', 'tsx', fileURLToPath(new URL(`./${name}.ts`, import.meta.url))];
  }
  return [fileURLToPath(new URL(`./${name}.js`, import.meta.url))];
}
