// carton attach: a detached container's streams through its monitor. With -i, input reaches
// the container and its end ends the container's stdin; with -t, a real terminal (tmux), the
// detach keys leave the container running; a stopped one cannot be attached.
import { afterAll, describe, expect, it } from 'vitest';
import { carton, isRoot, removeAllContainers, repo } from '../helpers/index.js';
import { Terminal } from '../helpers/terminal.js';

describe.skipIf(!isRoot)('carton attach (needs root)', () => {
  afterAll(async () => {
    await removeAllContainers();
  });

  it('-i: input goes in, stdout and stderr come out apart, the end of input ends it, and attach returns its status', async () => {
    expect((await carton(['run', '-d', '-i', '--name', 'att-i', '--network', 'none', 'carton/busybox', 'sh', '-c', 'while read l; do echo "got $l"; echo "err $l" >&2; done; exit 5'])).status).toBe(0);
    const r = await carton(['attach', 'att-i'], { input: 'one\ntwo\n' });
    expect([r.status, r.stdout, r.stderr]).toEqual([5, 'got one\ngot two\n', 'err one\nerr two\n']);
    expect(JSON.parse((await carton(['inspect', 'att-i'])).stdout)[0].State.ExitCode).toBe(5);
    const stopped = await carton(['attach', 'att-i']);
    expect([stopped.status, stopped.stderr]).toEqual([1, expect.stringMatching(/You cannot attach to a stopped container, start it first/)]);
  });

  it('-t: a terminal of its own, typed into; Ctrl-P Ctrl-Q detaches and the container runs on; start -ai attaches again', async () => {
    expect((await carton(['run', '-dit', '--name', 'att-t', '--network', 'none', 'carton/busybox', 'sh'])).status).toBe(0);
    const env = ['CARTON_ROOT', 'CARTON_RUN', 'CARTON_BRIDGE', 'CARTON_NFT_TABLE', 'CARTON_OFFLINE'].map((k) => `${k}=${process.env[k] ?? ''}`).join(' ');
    const term = new Terminal(`cd ${repo} && ${env} lib/cli/carton attach att-t; echo "ATTACH=$?"`);
    try {
      await new Promise((r) => setTimeout(r, 500));
      term.type('echo sum-$((40+2)) && tty\n');
      await term.waitFor(/sum-42\s*\n\/dev\/pts\/0/);
      term.press('C-p');
      term.press('C-q');
      await term.waitFor(/read escape sequence\s*\nATTACH=1/);
    } finally {
      term.close();
    }
    expect(JSON.parse((await carton(['inspect', 'att-t'])).stdout)[0].State.Status).toBe('running');
    const again = new Terminal(`cd ${repo} && ${env} lib/cli/carton start -ai att-t; echo "START=$?"`);
    try {
      await new Promise((r) => setTimeout(r, 500));
      again.type('exit 3\n');
      await again.waitFor(/START=3/);
    } finally {
      again.close();
    }
    expect(JSON.parse((await carton(['inspect', 'att-t'])).stdout)[0].State.ExitCode).toBe(3);
  });
});
