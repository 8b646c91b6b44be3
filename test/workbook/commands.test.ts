// The workbook's subcommands, run as a learner's script would (`npx tsx lib/workbook/main.ts
// ...`), on a temporary copy of the repository made into its own git repository, so that
// reset has a HEAD to restore from and the real exercises/ are never touched.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exercises } from '../../lib/exercises/index.js';
import { removeDir, repo, tempDir } from '../helpers/index.js';

const work = tempDir('carton-workbook-cmd-');
const root = join(work, 'repo');
const state = join(work, 'progress.json');
const env: NodeJS.ProcessEnv = { ...process.env, CARTON_WORKBOOK_ROOT: root, CARTON_WORKBOOK_STATE: state, FORCE_COLOR: '0' };
for (const v of ['VITEST', 'VITEST_MODE', 'VITEST_WORKER_ID', 'VITEST_POOL_ID']) delete env[v];
const learner = join(root, 'exercises', '01-chroot', 'rootfs.ts');
const solution = join(root, 'solutions', '01-chroot', 'rootfs.ts');

function workbook(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(join(repo, 'node_modules', '.bin', 'tsx'), [join(repo, 'lib', 'workbook', 'main.ts'), ...args], { env, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

beforeAll(() => {
  mkdirSync(root);
  for (const dir of ['lib', 'exercises', 'solutions', 'test']) cpSync(join(repo, dir), join(root, dir), { recursive: true });
  for (const file of ['package.json', 'tsconfig.json', 'vitest.config.ts']) copyFileSync(join(repo, file), join(root, file));
  for (const link of ['node_modules', 'dist']) if (existsSync(join(repo, link))) symlinkSync(join(repo, link), join(root, link));
  const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args]);
  git('init', '-q');
  git('add', 'exercises');
  git('commit', '-qm', 'exercises');
});
afterAll(() => removeDir(work));

describe('workbook subcommands', () => {
  it('lists, hints, refuses the solution before a pass, checks, shows the diff, resets', () => {
    expect(workbook('list').out).toMatch(/01-chroot .* 0\/5 not started\n[\s\S]*· parse-ldd/);
    expect(workbook('hint', 'parse-ldd').out).toContain('hint: For each line');
    const refused = workbook('solution', 'parse-ldd');
    expect(refused.status).toBe(2);
    expect(refused.out).toContain('parse-ldd has not passed yet');

    const failing = workbook('check', 'parse-ldd');
    expect(failing.status).toBe(1);
    expect(failing.out).toContain('✗ fail  parse-ldd');
    expect(failing.out).toContain('hint: this function is still the stub: open exercises/01-chroot/rootfs.ts');

    copyFileSync(solution, learner);
    const passing = workbook('check', 'parse-ldd');
    expect(passing.out).toContain('✓ pass  parse-ldd');
    expect(passing.status).toBe(0);
    expect(JSON.parse(readFileSync(state, 'utf8')).done).toEqual(['parse-ldd']);
    expect(workbook('solution', 'parse-ldd').out).toContain('identical to the reference solution');

    expect(workbook('reset', 'parse-ldd').out).toContain('restored exercises/01-chroot/rootfs.ts');
    expect(readFileSync(learner, 'utf8')).toContain("todo('parseLdd'");
    expect(JSON.parse(readFileSync(state, 'utf8')).done).toEqual([]);
    expect(workbook('check', 'no-such-thing').status).toBe(2);
  }, 120_000);

  it.each([['fs.watch', '0'], ['polling', '1']])('watch (%s) re-checks the current exercise when its file is saved, and ends when the last one passes', async (_, poll) => {
    // Everything else is done, so that watch has no further exercise to check (and to leave running).
    writeFileSync(state, JSON.stringify({ done: exercises.filter((e) => e.name !== 'parse-ldd').map((e) => e.name), skipped: [] }));
    const child = spawn(join(repo, 'node_modules', '.bin', 'tsx'), [join(repo, 'lib', 'workbook', 'main.ts'), 'watch'], { env: { ...env, CARTON_WORKBOOK_POLL: poll } });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 90_000;
      while (!out.includes(text)) {
        if (Date.now() > deadline) throw new Error(`no "${text}" in:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    try {
      await waitFor('watching exercises/01-chroot/rootfs.ts');
      expect(out).toContain('✗ fail  parse-ldd');
      copyFileSync(solution, learner);
      await waitFor('✓ pass  parse-ldd');
      await waitFor('Every exercise passes');
      const status = await new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)));
      expect(status).toBe(0);
    } finally {
      child.kill();
      copyFileSync(join(repo, 'exercises', '01-chroot', 'rootfs.ts'), learner);
    }
  }, 120_000);
});
