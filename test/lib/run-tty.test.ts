// `carton run -it`: a real pseudo-terminal, driven through a real terminal (tmux).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot, removeDir, repo, tempDir } from '../helpers/index.js';
import { Terminal } from '../helpers/terminal.js';

describe.skipIf(!isRoot)('carton run -it (needs root)', () => {
  let state: string;
  let term: Terminal;
  beforeAll(() => {
    state = tempDir('carton-state-');
    const env = `CARTON_ROOT=${join(state, 'lib')} CARTON_RUN=${join(state, 'run')}`;
    term = new Terminal(`cd ${repo} && ${env} node lib/cli/carton.js run -it --rm carton/busybox sh; echo "EXIT=$?"; stty -a | grep -o -- '-\\?icanon'`);
  });
  afterAll(() => {
    term.close();
    removeDir(state);
  });

  it('gives the shell a terminal of the host terminal\'s size, and passes resizes', async () => {
    await term.waitFor(/^\/ #/m);
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
