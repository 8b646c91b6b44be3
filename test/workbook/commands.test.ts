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
    const ldd = exercises.find((e) => e.name === 'parse-ldd')!;
    // One step per request, remembered: the idea first, the near-answer last.
    const first = workbook('hint', 'parse-ldd').out;
    expect(first).toContain(`hint 1/3, the idea: ${ldd.hints[0]}`);
    expect(first).not.toContain(ldd.hints[1]);
    expect(workbook('hint', 'parse-ldd').out).toContain(ldd.hints[1]);
    const third = workbook('hint', 'parse-ldd').out;
    expect(third).toContain(ldd.hints[2]);
    expect(JSON.parse(readFileSync(state, 'utf8')).hintsShown).toEqual({ 'parse-ldd': 3 });
    const refused = workbook('solution', 'parse-ldd');
    expect(refused.status).toBe(2);
    expect(refused.out).toContain('parse-ldd has not passed yet');

    const failing = workbook('check', 'parse-ldd');
    expect(failing.status).toBe(1);
    expect(failing.out).toContain('✗ fail  parse-ldd');
    expect(failing.out).toContain('note: this function is still the stub: open exercises/01-chroot/rootfs.ts');
    expect(failing.out).not.toContain(ldd.hints[2]); // hints only when asked for
    // The whole message, and the code where it failed (the stub's todo call in the learner's file).
    expect(failing.out).toMatch(/TODO: parseLdd is not written yet/);
    expect(failing.out).toMatch(/exercises\/01-chroot\/rootfs\.ts:\d+:\d+\n[\s\S]*> +\d+ \| .*todo\('parseLdd'/);

    copyFileSync(solution, learner);
    const passing = workbook('check', 'parse-ldd');
    expect(passing.out).toContain('✓ pass  parse-ldd');
    expect(passing.status).toBe(0);
    expect(JSON.parse(readFileSync(state, 'utf8')).done).toEqual(['parse-ldd']);
    expect(workbook('solution', 'parse-ldd').out).toContain('identical to the reference solution');

    const reset = workbook('reset', 'parse-ldd').out;
    expect(reset).toContain('restored parseLdd in exercises/01-chroot/rootfs.ts');
    expect(readFileSync(learner, 'utf8')).toContain("todo('parseLdd'");
    const backup = /kept in (\S+)/.exec(reset)![1];
    expect(readFileSync(join(root, backup), 'utf8')).toBe(readFileSync(solution, 'utf8'));
    expect(JSON.parse(readFileSync(state, 'utf8')).done).toEqual([]);
    // And undone: the backup comes back.
    expect(workbook('restore', 'parse-ldd').out).toContain(`put back exercises/01-chroot/rootfs.ts from ${backup}`);
    expect(readFileSync(learner, 'utf8')).toBe(readFileSync(solution, 'utf8'));
    copyFileSync(join(repo, 'exercises', '01-chroot', 'rootfs.ts'), learner);
    expect(workbook('check', 'no-such-thing').status).toBe(2);
  }, 120_000);

  it('resets one exercise of a file that holds two, and leaves the other as the learner wrote it', () => {
    const mine = join(root, 'exercises', '01-chroot', 'exec.ts');
    const before = readFileSync(mine, 'utf8');
    const written = readFileSync(join(root, 'solutions', '01-chroot', 'exec.ts'), 'utf8');
    writeFileSync(mine, written + '\n// my own note\n');
    expect(workbook('reset', 'look-path').out).toContain('restored lookPath in exercises/01-chroot/exec.ts');
    const after = readFileSync(mine, 'utf8');
    expect(after).toContain("todo('lookPath'");
    expect(after).not.toContain("todo('execProgram'");
    expect(after).toContain('// my own note');
    expect(workbook('reset', '01').out).toContain('restored exercises/01-chroot/chroot.ts');
    expect(readFileSync(mine, 'utf8')).toBe(before);
  });

  it('skips a chapter: its exercises wait and CARTON_IMPL=exercises gives it the reference code', () => {
    expect(workbook('skip-chapter', '02').out).toContain('skipped 02-namespaces');
    expect(JSON.parse(readFileSync(state, 'utf8')).skippedChapters).toEqual(['02-namespaces']);
    expect(workbook('list').out).toMatch(/02-namespaces .* 0\/4 skipped/);
    const passes = workbook('check', 'clone-flags');
    expect(passes.out).toContain('✗ fail  clone-flags'); // checking an exercise always checks the learner's code
    expect(workbook('resume-chapter', '2').out).toContain('resumed 02-namespaces');
    expect(JSON.parse(readFileSync(state, 'utf8')).skippedChapters).toEqual([]);
    expect(workbook('skip-chapter', '99').status).toBe(2);
  }, 60_000);

  it('records progress from test runs of the learner, not only from npm start', () => {
    writeFileSync(state, JSON.stringify({ done: [], skipped: [] }));
    const vitest = (file: string) => spawnSync(join(repo, 'node_modules', '.bin', 'vitest'), ['run', file], { cwd: root, env: { ...env, CARTON_IMPL: 'exercises' }, encoding: 'utf8' });
    copyFileSync(solution, learner);
    expect(vitest('test/01-chroot/parse-ldd.test.ts').status).toBe(0);
    expect(JSON.parse(readFileSync(state, 'utf8')).done).toEqual(['parse-ldd']);
    copyFileSync(join(repo, 'exercises', '01-chroot', 'rootfs.ts'), learner);
    expect(vitest('test/01-chroot/parse-ldd.test.ts').status).toBe(1);
    expect(JSON.parse(readFileSync(state, 'utf8')).done).toEqual([]);
  }, 60_000);

  it('documents every subcommand in --help', () => {
    const help = workbook('--help').out;
    for (const sub of ['list', 'check', 'hint', 'watch', 'reset', 'restore', 'solution', 'skip-chapter', 'resume-chapter']) expect(help).toMatch(new RegExp(`^  ${sub} `, 'm'));
  });

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
