// Runs once around all test files.
//  - Tests that start `carton` use the compiled CLI unless CARTON_IMPL=exercises, so make sure
//    dist/ exists (npm test builds it first).
//  - Every test run gets its own state roots (CARTON_ROOT, CARTON_RUN) in a temporary
//    directory, inherited by the test workers, and removed at the end: tests never touch
//    /var/lib/carton or /run/carton.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  if (!existsSync(new URL('../dist/lib/cli/main.js', import.meta.url))) {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  }
  const state = mkdtempSync(join(tmpdir(), 'carton-tests-'));
  process.env.CARTON_ROOT = join(state, 'lib');
  process.env.CARTON_RUN = join(state, 'run');
  return () => rmSync(state, { recursive: true, force: true });
}
