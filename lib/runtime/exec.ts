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
import { closeSync, fchownSync, openSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { cgroupLayout } from '../../solutions/00-doctor/cgroup-layout.js';
import * as sys from '../sys/index.js';
import { nodeProgram } from './launch.js';
import { findProgram } from './userns.js';
import { stageSecurity } from './start.js';
import { stageEnv } from './stage-ahead.js';
import { exitStatus } from './lifecycle.js';
import { attachTerminal, openPty, settled, terminalRoot } from './pty.js';
import type { ContainerRecord } from './state.js';
import { parseUser } from './user.js';
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

/** What `carton exec` asks for: the process (its environment already merged over the container's), and how to connect it. */
export interface ExecRequest {
  argv: string[];
  env: string[];
  /** Default: the container's working directory. */
  cwd?: string;
  /** -u: a name or uid[:group|gid], looked up in the container's /etc/passwd and /etc/group; default: the container's user. */
  user?: string;
  /** A terminal of the container's own devpts, as its stdio (-t). */
  tty: boolean;
  /** This process's stdin reaches it (-i). */
  interactive: boolean;
  /** Started and left to run, its output discarded, as Docker's exec -d. */
  detach: boolean;
}

/**
 * Run `request` in the running container of `record` (the engine has checked its status) and
 * resolve with its exit status: at once (0) with `detach`, else when it ends. Its failures
 * to start are errors with Docker's statuses: 126 cannot execute, 127 not found.
 */
export async function execProcess(record: ContainerRecord, request: ExecRequest, level: number): Promise<number> {
  const pid = record.pid!;
  const user = request.user ? parseUser(request.user, `/proc/${pid}/root`) : record.user;
  // A terminal of the container's own devpts, so that it is /dev/pts/N inside too.
  const pty = request.tty ? openPty(terminalRoot(pid)) : undefined;
  // The slave belongs to root, mode 0620: give it to the user, as runc does.
  if (pty && user) fchownSync(pty.slave, user.uid, -1);
  const stdin = request.interactive ? 'inherit' : 'ignore';
  const { child, started } = execIn({
    pid, argv: request.argv, env: request.env, cwd: request.cwd ?? record.cwd, user, tty: request.tty,
    security: await stageSecurity(record, level),
  }, pty ? [pty.slave, pty.slave, pty.slave] : request.detach ? ['ignore', 'ignore', 'ignore'] : [stdin, 'inherit', 'inherit']);
  const failed = (failure: StageFailure) => Object.assign(new sys.CartonError(failure.error, failure.hint), { exitCode: failure.exitCode });
  if (request.detach) {
    // Started (or not): the command goes on in the container.
    const failure = await started;
    if (failure) throw failed(failure);
    child.unref();
    return 0;
  }
  let restore = () => {};
  let drained: Promise<void> = Promise.resolve();
  if (pty) {
    closeSync(pty.slave);
    drained = new Promise((resolve) => (restore = attachTerminal(pty, resolve)));
  }
  const result = await new Promise<[number | null, NodeJS.Signals | null] | Error>((resolve) => {
    child.on('error', resolve);
    child.on('exit', (c, s) => resolve([c, s]));
  });
  const failure = await started;
  await settled(drained);
  restore();
  if (failure) throw failed(failure);
  if (result instanceof Error) {
    const code = (result as NodeJS.ErrnoException).code;
    throw Object.assign(new sys.CartonError(`exec ${request.argv[0]}: ${code === 'ENOENT' ? 'executable file not found in $PATH' : code}`), { exitCode: code === 'ENOENT' ? 127 : 126 });
  }
  return exitStatus(result);
}
