// `carton run -it` and `carton exec -it`: a real pseudo-terminal, allocated in the container's
// own devpts, driven through a real terminal (tmux).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carton, isRoot, removeDir, repo, tempDir } from '../helpers/index.js';
import { Terminal } from '../helpers/terminal.js';

describe.skipIf(!isRoot)('carton run -it (needs root)', () => {
  let state: string;
  let term: Terminal;
  beforeAll(() => {
    state = tempDir('carton-state-');
    const env = `CARTON_ROOT=${join(state, 'lib')} CARTON_RUN=${join(state, 'run')}`;
    term = new Terminal(`cd ${repo} && ${env} lib/cli/carton run -it --rm carton/busybox sh; echo "EXIT=$?"; stty -a | grep -o -- '-\\?icanon'`);
  });
  afterAll(() => {
    term.close();
    removeDir(state);
  });

  it('gives the shell a terminal of the container\'s own devpts: tty names it, /dev/pts holds it', async () => {
    await term.waitFor(/^\/ #/m);
    term.type('tty; echo TTY-STATUS=$?; echo PTS: $(ls /dev/pts)\n');
    const pattern = /^\/dev\/pts\/(\d+)\nTTY-STATUS=0\nPTS: (.+)$/m;
    const [, n, listing] = pattern.exec(await term.waitFor(pattern))!;
    expect(listing.split(' ')).toEqual([n, 'ptmx']);
  });

  it('gives the shell a terminal of the host terminal\'s size, and passes resizes', async () => {
    term.type('test -t 0 && echo IS-A-TTY; stty size\n');
    await term.waitFor(/IS-A-TTY\n30 100/);
    term.resize(90, 25);
    term.type('stty size\n');
    await term.waitFor(/^25 90$/m);
  });

  it('turns Ctrl-C into SIGINT for the foreground job only', async () => {
    term.type('sleep 300\n');
    await term.waitFor(/# sleep 300\n/);
    term.press('C-c');
    await term.waitFor(/\^C\n\/ #/); // the shell is back at its prompt
    term.type('echo AFTER-SLEEP=$?\n'); // the shell survived, and sleep died of SIGINT (128+2)
    await term.waitFor(/^AFTER-SLEEP=130$/m);
  });

  it('propagates the exit status and restores the host terminal (cooked mode)', async () => {
    term.type('exit 5\n');
    const screen = await term.waitFor(/EXIT=5\n(-?icanon)/);
    expect(/EXIT=5\n(-?icanon)/.exec(screen)?.[1]).toBe('icanon');
  });
});

describe.skipIf(!isRoot)('carton run -dit, then exec -it (needs root)', () => {
  afterAll(async () => {
    await carton(['rm', '-f', 'tty-logged', 'tty-target']);
  });

  it('-dit: the terminal is the container\'s /dev/pts/0, owned by -u\'s user, and its output is the log', async () => {
    const run = await carton(['run', '-dit', '-u', '65534:65534', '--name', 'tty-logged', 'carton/busybox', 'sh', '-c', 'tty; stat -c %u "$(tty)"; echo $(ls /dev/pts); exit 3']);
    expect(run.status).toBe(0);
    expect((await carton(['wait', 'tty-logged'])).stdout).toBe('3\n');
    const logs = await carton(['logs', 'tty-logged']);
    // A terminal turns "\n" into "\r\n" (onlcr), and merges stderr into stdout.
    expect(logs.stdout.split('\r\n').filter(Boolean)).toEqual(['/dev/pts/0', '65534', '0 ptmx']);
  });

  it('exec -it: a second terminal of the same devpts, with a size, Ctrl-C and the exit status', async () => {
    expect((await carton(['run', '-dit', '--name', 'tty-target', 'carton/busybox', 'sh'])).status).toBe(0);
    const env = `CARTON_ROOT=${process.env.CARTON_ROOT} CARTON_RUN=${process.env.CARTON_RUN}`;
    const term = new Terminal(`cd ${repo} && ${env} lib/cli/carton exec -it tty-target sh; echo "EXIT=$?"`);
    try {
      await term.waitFor(/^\/ #/m);
      term.type('tty; echo $(ls /dev/pts); stty size\n');
      await term.waitFor(/^\/dev\/pts\/1\n0 1 ptmx\n30 100$/m); // 0 is the shell of `run -dit`
      term.type('sleep 300\n');
      await term.waitFor(/# sleep 300\n/);
      term.press('C-c');
      await term.waitFor(/\^C\n\/ #/);
      term.type('echo after=$?; exit 4\n');
      await term.waitFor(/^after=130$/m);
      await term.waitFor(/^EXIT=4$/m);
    } finally {
      term.close();
    }
  });
});
