// End to end: the real terminal UI in tmux, on a temporary copy of the repository
// (CARTON_WORKBOOK_ROOT) so that the real exercises/ are never touched. Menu → chapter 01 →
// the lesson in the terminal → check (failing, with hints) → the learner's file replaced by
// the solution → check again: it passes and the progress file records it.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, repo, tempDir } from '../helpers/index.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const socket = `carton-wb-${process.pid}-${Date.now()}`;
const session = 'workbook';
const work = tempDir('carton-workbook-e2e-');
const root = join(work, 'repo');
const state = join(work, 'progress.json');

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-J', '-S', '-500', '-t', session);
}

/** Poll the pane until `ok(text)` holds or the deadline passes. */
async function waitFor(what: string, ok: (text: string) => boolean, seconds = 90): Promise<string> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const text = screen();
    if (ok(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen shows:\n${text}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const count = (text: string, needle: string) => text.split(needle).length - 1;
/** The screen after the last occurrence of `needle` ('' when absent). */
const after = (text: string, needle: string) => (text.includes(needle) ? text.slice(text.lastIndexOf(needle)) : '');

/** A copy of what the workbook and the chapter tests need; node_modules and dist are linked. */
function copyRepo(): string {
  mkdirSync(root);
  for (const dir of ['lib', 'exercises', 'solutions', 'test', 'chapters']) cpSync(join(repo, dir), join(root, dir), { recursive: true });
  for (const file of ['package.json', 'tsconfig.json', 'vitest.config.ts']) copyFileSync(join(repo, file), join(root, file));
  for (const link of ['node_modules', 'dist']) if (existsSync(join(repo, link))) symlinkSync(join(repo, link), join(root, link));
  const readme = join(root, 'chapters', '01-chroot', 'README.md');
  if (!existsSync(readme)) {
    mkdirSync(join(root, 'chapters', '01-chroot'), { recursive: true });
    writeFileSync(readme, '# A fixture lesson\n\nSome text.\n\n<!-- include: solutions/01-chroot/rootfs.ts#parseLdd -->\n');
  }
  return readFileSync(readme, 'utf8').split('\n').find((l) => l.startsWith('# '))!.slice(2).trim();
}

describe.skipIf(!hasTmux)(hasTmux ? 'the workbook in a terminal' : 'the workbook in a terminal (skipped: no tmux)', () => {
  let title = '';

  beforeAll(() => {
    title = copyRepo();
    const clean = 'env -u VITEST -u VITEST_MODE -u VITEST_WORKER_ID -u VITEST_POOL_ID -u NODE_OPTIONS';
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40',
      `cd ${repo} && ${clean} CARTON_WORKBOOK_ROOT=${root} CARTON_WORKBOOK_STATE=${state} npx tsx lib/workbook/main.ts; sleep 600`);
  });

  afterAll(() => {
    // Our own server on our own socket: kill it, and remove the socket file it leaves.
    const path = spawnSync('tmux', ['-L', socket, 'display-message', '-p', '#{socket_path}'], { encoding: 'utf8' }).stdout.trim();
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    if (path) rmSync(path, { force: true });
    removeDir(work);
  });

  it('reads chapter 01, fails its checks with hints, then passes one with the solution', async () => {
    await waitFor('the main menu', (t) => t.includes('carton workbook') && t.includes('Quit'));
    tmux('send-keys', '-t', session, 'Down', 'Down', 'Enter');
    await waitFor('the chapter menu', (t) => t.includes('Read the lesson'));

    tmux('send-keys', '-t', session, 'Enter');
    const lesson = await waitFor('the lesson', (t) => t.includes(title));
    expect(lesson).not.toContain('<!-- include');
    expect(lesson).toContain('Exercise enter-root'); // where the answer would be: which exercise, not its code
    tmux('send-keys', '-t', session, 'q');
    await waitFor('the chapter menu again', (t) => t.includes('Check the exercises'));

    tmux('send-keys', '-t', session, 'Down', 'Down', 'Enter');
    const failed = await waitFor('the first check', (t) => count(t, 'press Enter to go back') >= 1);
    expect(failed).toContain('✗ fail  parse-ldd');
    expect(failed).toContain('✗ fail  enter-root');
    expect(failed).toMatch(/note: this function is still the stub: open exercises\/01-chroot\/rootfs\.ts/);
    expect(failed).toMatch(/TODO: parseLdd/);
    expect(JSON.parse(readFileSync(state, 'utf8')).done).toEqual([]);

    copyFileSync(join(root, 'solutions', '01-chroot', 'rootfs.ts'), join(root, 'exercises', '01-chroot', 'rootfs.ts'));
    tmux('send-keys', '-t', session, 'Enter');
    await waitFor('the chapter menu after the check', (t) => after(t, 'press Enter to go back').includes('Check the exercises'));
    tmux('send-keys', '-t', session, 'Down', 'Down', 'Enter');
    const passed = await waitFor('the second check', (t) => after(t, '✓ pass  parse-ldd').includes('press Enter to go back'));
    expect(after(passed, 'checking enter-root')).toContain('✗ fail  enter-root');
    expect(JSON.parse(readFileSync(state, 'utf8')).done).toEqual(['parse-ldd']);

    tmux('send-keys', '-t', session, 'Enter');
    await waitFor('the progress in the menu', (t) => t.includes('(1/5 done, in progress)'));
  }, 240_000);
});
