// Runs once before all test files: tests that start `carton` use the compiled CLI unless
// CARTON_IMPL=exercises, so make sure dist/ exists (npm test builds it first).
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  if (!existsSync(new URL('../dist/lib/cli/main.js', import.meta.url))) {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  }
}
