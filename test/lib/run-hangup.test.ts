// Closing the terminal of `carton run -it` (the window, the ssh session) hangs it up: the
// kernel sends SIGHUP to the terminal's session, carton relays it to the container as a
// terminal close would reach a program run there directly, and records how it ended.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, isRoot, removeAllContainers, removeDir, repo, tempDir } from '../helpers/index.js';
import { stateEnv, Terminal } from '../helpers/terminal.js';

describe.skipIf(!isRoot)('a terminal hang-up (needs root)', () => {
  const dir = tempDir('carton-hup-');
  afterAll(async () => {
    await removeAllContainers();
    removeDir(dir);
  });

  it('reaches the container as SIGHUP; carton records its end', async () => {
    const env = stateEnv();
    const term = new Terminal(`cd ${repo} && ${env} lib/cli/carton run -it --name hup --network none -v ${dir}:/out carton/busybox sh -c 'trap "echo hung-up > /out/got; exit 7" HUP; echo ready; while :; do sleep 0.1; done'`);
    try {
      await term.waitFor(/ready/);
    } finally {
      term.close(); // the terminal goes away
    }
    let state: { Status: string; ExitCode: number } | undefined;
    for (let i = 0; i < 100; i++) {
      state = JSON.parse((await carton(['inspect', '-f', '{{json .State}}', 'hup'])).stdout);
      if (state?.Status === 'exited') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(existsSync(join(dir, 'got')) && readFileSync(join(dir, 'got'), 'utf8')).toBe('hung-up\n');
    expect([state?.Status, state?.ExitCode]).toEqual(['exited', 7]); // recorded by carton run itself, not by crash recovery (255)
  });
});
