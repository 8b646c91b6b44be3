// carton attach: a detached container's streams through its monitor. With -i, input reaches
// the container and its end ends the container's stdin; with -t, a real terminal (tmux), the
// detach keys leave the container running; a stopped one cannot be attached. `run -it` on a
// terminal is attached the same way: no output is lost before it attaches, the detach keys
// (Docker's, or --detach-keys) leave its container running, and a --rm one's status arrives.
import { afterAll, describe, expect, it } from 'vitest';
import { carton, isRoot, removeAllContainers, repo } from '../helpers/index.js';
import { stateEnv, Terminal } from '../helpers/terminal.js';

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
    const env = stateEnv();
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

  it('run -it: the first output is there, Ctrl-P Ctrl-Q leaves the container running (exit 0), attach takes it back', async () => {
    const env = stateEnv();
    const term = new Terminal(`cd ${repo} && ${env} lib/cli/carton run -it --name fg-t --network none carton/busybox sh -c 'echo first-line; stty size; exec sh'; echo "RUN=$?"`, 90, 20);
    try {
      await term.waitFor(/first-line\s*\n20 90/); // printed before carton attached, and the terminal's size from the start
      term.type('echo sum-$((40+2))\n');
      await term.waitFor(/sum-42/);
      term.press('C-p');
      term.press('C-q');
      await term.waitFor(/RUN=0/);
    } finally {
      term.close();
    }
    const state = JSON.parse((await carton(['inspect', 'fg-t'])).stdout)[0].State;
    expect([state.Status, state.Pid > 0]).toEqual(['running', true]);
    expect(state.Pid).toBe(Number((await carton(['inspect', '-f', '{{.State.Pid}}', 'fg-t'])).stdout));
    const again = new Terminal(`cd ${repo} && ${env} lib/cli/carton attach fg-t; echo "ATTACH=$?"`);
    try {
      await new Promise((r) => setTimeout(r, 500));
      again.type('exit 4\n');
      await again.waitFor(/ATTACH=4/);
    } finally {
      again.close();
    }
    expect(JSON.parse((await carton(['inspect', 'fg-t'])).stdout)[0].State).toMatchObject({ Status: 'exited', ExitCode: 4 });
  });

  it('run -it --rm: its status comes back though the record is gone; --detach-keys takes other keys; a bad one is refused', async () => {
    const env = stateEnv();
    const term = new Terminal(`cd ${repo} && ${env} lib/cli/carton run -it --rm --detach-keys ctrl-a,d --name fg-rm --network none carton/busybox sh; echo "RUN=$?"`);
    try {
      term.type('echo ready-$((1+1))\n');
      await term.waitFor(/ready-2/);
      term.press('C-p');
      term.press('C-q'); // not the keys any more: they reach the shell
      term.type('echo still-here\n');
      await term.waitFor(/still-here\s*\n.*\n?.*still-here/);
      expect(term.screen()).not.toMatch(/RUN=/);
      term.press('C-a');
      term.type('d');
      await term.waitFor(/RUN=0/);
    } finally {
      term.close();
    }
    expect((await carton(['ps', '-q', '--filter', 'name=fg-rm'])).stdout.trim()).not.toBe('');
    const back = new Terminal(`cd ${repo} && ${env} lib/cli/carton attach fg-rm; echo "ATTACH=$?"`);
    try {
      await new Promise((r) => setTimeout(r, 500));
      back.type('exit 6\n');
      await back.waitFor(/ATTACH=6/);
    } finally {
      back.close();
    }
    expect((await carton(['ps', '-aq', '--filter', 'name=fg-rm'])).stdout).toBe(''); // --rm: gone
    const quick = new Terminal(`cd ${repo} && ${env} lib/cli/carton run -it --rm --network none carton/busybox sh -c 'exit 9'; echo "RUN=$?"`);
    try {
      await quick.waitFor(/RUN=9/);
    } finally {
      quick.close();
    }
    const bad = await carton(['run', '--rm', '--detach-keys', 'ctrl-', 'carton/busybox', 'true']);
    expect([bad.status, bad.stderr]).toEqual([125, expect.stringMatching(/invalid detach keys/)]);
  });
});
