// carton exec: start another process inside a running container. carton does not spawn the
// command itself: a child spawned straight into the container's namespaces would run with
// all of the host root's capabilities and no seccomp filter, and the host's node would sit
// in the container between fork and exec. Instead carton spawns the exec stage
// (exec-stage.ts), a Node process that confines itself as the container is confined and
// execs the command. Two things only this process can do for it:
//   - the PID namespace: setns(CLONE_NEWPID) applies to children only, so carton joins it,
//     spawns, and comes back at once (while it is set, no thread can be created);
//   - the cgroups: carton moves itself into the container's, spawns, and moves back, so that
//     the stage is born inside the container's limits (moving it after spawn would leave a
//     window where it runs, or forks, outside them).
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { closeSync, openSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { cgroupLayout } from '../../solutions/00-doctor/cgroup-layout.js';
import * as sys from '../sys/index.js';
import { nodeProgram } from './launch.js';
import { findProgram } from './userns.js';
import { stageEnv } from './start.js';
import { SYNC_FD, type StageFailure } from './stage-config.js';
import type { ExecStageConfig } from './exec-stage.js';

/** Run `start` with this process's children born in the PID namespace of `pid`. */
function inPidNamespaceOf<T>(pid: number, start: () => T): T {
  const theirs = openSync(`/proc/${pid}/ns/pid`, 'r');
  const ours = openSync('/proc/self/ns/pid', 'r');
  try {
    sys.setns(theirs, sys.CLONE_NEWPID);
    try {
      return start();
    } finally {
      sys.setns(ours, sys.CLONE_NEWPID);
    }
  } finally {
    closeSync(theirs);
    closeSync(ours);
  }
}

/** The cgroup directories of a process, one a hierarchy it is in (/proc/PID/cgroup), with their controllers ([] for v2's). */
export function cgroupDirsOf(who: number | 'self'): Array<{ controllers: string[]; dir: string }> {
  const layout = cgroupLayout();
  return readFileSync(`/proc/${who}/cgroup`, 'utf8').trim().split('\n').flatMap((line) => {
    const [, list, path] = line.split(':');
    const controllers = list === '' ? [] : list.split(',');
    const mount = controllers.length === 0 ? layout.v2Mount : layout.v1[controllers.find((c) => layout.v1[c]) ?? ''];
    return mount ? [{ controllers, dir: join(mount, path) }] : [];
  });
}

/** Run `start` with this process inside the cgroups of `pid` (every hierarchy), then move it back. */
export function inCgroupsOf<T>(pid: number, start: () => T): T {
  const theirs = cgroupDirsOf(pid).map((d) => d.dir);
  const ours = cgroupDirsOf('self').map((d) => d.dir);
  const move = (dirs: string[]) => {
    for (const dir of dirs) writeFileSync(join(dir, 'cgroup.procs'), String(process.pid));
  };
  move(theirs);
  try {
    return start();
  } finally {
    move(ours);
  }
}

export interface Exec {
  child: ChildProcess;
  /** Resolves when the command runs (undefined), or with why it could not start. */
  started: Promise<StageFailure | undefined>;
}

/** Start the command of `config` in the container of `config.pid`, with `stdio` as its 0-2. */
export function execIn(config: ExecStageConfig, stdio: StdioOptions): Exec {
  const options = { stdio: [...(stdio as unknown[]).slice(0, 3), 'pipe'] as StdioOptions, env: stageEnv() };
  // A container of its own user namespace (--userns=private): Node, multithreaded, cannot
  // join one, so nsenter(1) does, becomes its root, and execs the stage, which joins the rest.
  const [program, args] = inOwnUserNamespace(config.pid)
    ? [findProgram('nsenter'), [`--user=/proc/${config.pid}/ns/user`, '--', process.execPath, ...nodeProgram('exec-stage')]]
    : [process.execPath, nodeProgram('exec-stage')];
  const child = inCgroupsOf(config.pid, () => inPidNamespaceOf(config.pid, () => spawn(program, args, options)));
  const sync = child.stdio[SYNC_FD] as Socket;
  const started = new Promise<StageFailure | undefined>((resolve) => {
    let text = '';
    sync.setEncoding('utf8');
    sync.on('data', (d: string) => (text += d));
    sync.on('error', () => {});
    sync.on('close', () => resolve(text.trim() ? (JSON.parse(text.trim().split('\n')[0]) as StageFailure) : undefined));
  });
  sync.write(JSON.stringify(config) + '\n');
  return { child, started };
}

function inOwnUserNamespace(pid: number): boolean {
  return readlinkSync(`/proc/${pid}/ns/user`) !== readlinkSync('/proc/self/ns/user');
}
