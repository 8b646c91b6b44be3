// destroyCgroup: the end of a container's cgroups on this machine's real hierarchies. A group
// made by the reference manager holds running and frozen processes; the function under test
// must leave no process alive and no directory behind, in every hierarchy, and a second call
// (or one for a group that never existed) must be harmless.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { destroyCgroup } from '@impl/04-cgroups/lifecycle.js';
import { detectLayout, driversFor, openCgroups } from '../../solutions/04-cgroups/manager.js';
import { joinCgroup } from '../../solutions/04-cgroups/procs.js';
import { writeV2Limits } from '../../solutions/04-cgroups/v2.js';
import { collect, isRoot } from '../helpers/index.js';

const layout = (() => {
  try {
    return detectLayout();
  } catch {
    return undefined;
  }
})();
const available = isRoot && !!layout && (layout.mode !== 'v2' || layout.v2Controllers.includes('pids'));
const hasFreezer = !!layout && (!!layout.v1.freezer || layout.mode === 'v2');
const random = () => Math.random().toString(36).slice(2, 10);

describe.skipIf(!available)(`destroyCgroup (${layout?.mode ?? 'none'}; needs root)`, () => {
  const parent = `carton-test-${random()}`;
  const children: ChildProcess[] = [];
  const made: string[] = [];
  const drivers = () => driversFor(layout!, parent, { writeV2Limits, joinCgroup });

  afterEach(() => {
    // Whatever the function under test did (a stub does nothing): the reference clean-up.
    for (const id of made.splice(0)) openCgroups({ parent }).open(id).destroy();
    for (const child of children.splice(0)) child.kill('SIGKILL');
    const mounts = [...new Set([...Object.values(layout!.v1), ...(layout!.v2Mount ? [layout!.v2Mount] : [])])];
    for (const mount of mounts) if (existsSync(join(mount, parent))) rmdirSync(join(mount, parent));
  });

  it('kills every process, frozen ones too, and removes every directory; again is harmless', async () => {
    const cgroup = openCgroups({ parent }).create(`test-${random()}`, { pidsMax: 50 });
    made.push(cgroup.id);
    const shell = spawn('sh', ['-c', 'read go; sleep 60 & sleep 60 & echo up; wait'], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(shell);
    cgroup.join(shell.pid!);
    shell.stdin!.write('go\n');
    await new Promise<void>((resolve) => shell.stdout!.once('data', () => resolve()));
    const pids = cgroup.pids();
    expect(pids).toHaveLength(3);
    if (hasFreezer) cgroup.freeze!(); // a frozen process cannot die until it is thawed
    const exited = collect(shell);
    destroyCgroup(cgroup.id, drivers());
    expect((await exited).signal).toBe('SIGKILL');
    for (const pid of pids) {
      const state = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] : undefined;
      expect(state === undefined || state === 'Z', `process ${pid} is still alive (${state})`).toBe(true);
    }
    for (const path of cgroup.paths) expect(existsSync(path), path).toBe(false);
    expect(() => destroyCgroup(cgroup.id, drivers())).not.toThrow();
  });

  it('does nothing, and does not fail, for a group that never existed', () => {
    expect(() => destroyCgroup(`never-${random()}`, drivers())).not.toThrow();
  });
});
