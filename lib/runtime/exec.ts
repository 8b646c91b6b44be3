// carton exec: start another process inside a running container. A multithreaded Node
// process may join another process's namespaces with setns(2), with care:
//   - the mount namespace only after unshare(CLONE_FS): the root and working directory are
//     shared by all threads, and setns(CLONE_NEWNS) refuses (EINVAL) while they are;
//   - the PID namespace applies to children only, and while it is set no thread can be
//     created: spawn at once, then go back;
//   - a user namespace can never be joined (the process has several threads).
// We join, spawn the command (it inherits all of the main thread's namespaces and the
// container's root), and return to our own namespaces before doing anything else.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, existsSync, fchownSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupLayout } from '../../solutions/00-doctor/cgroup-layout.js';
import * as sys from '../sys/index.js';
import { CartonError } from '../sys/index.js';
import { findStaticBusybox } from '../../solutions/01-chroot/rootfs.js';

// Mount last: after it, /proc/<pid>/... paths would resolve inside the container.
const TYPES: Array<[string, number]> = [
  ['ipc', sys.CLONE_NEWIPC],
  ['uts', sys.CLONE_NEWUTS],
  ['net', sys.CLONE_NEWNET],
  ['cgroup', sys.CLONE_NEWCGROUP],
  ['pid', sys.CLONE_NEWPID],
  ['mnt', sys.CLONE_NEWNS],
];

let unsharedFs = false;

/** Run `start` with the main thread inside the namespaces of `pid`, then come back. */
export function inNamespacesOf<T>(pid: number, start: () => T): T {
  if (!unsharedFs) {
    sys.unshare(sys.CLONE_FS);
    unsharedFs = true;
  }
  const theirs = TYPES.map(([type, flag]) => [openSync(`/proc/${pid}/ns/${type}`, 'r'), flag] as const);
  const ours = TYPES.map(([type, flag]) => [openSync(`/proc/self/ns/${type}`, 'r'), flag] as const);
  const cwd = process.cwd();
  try {
    for (const [fd, flag] of theirs) sys.setns(fd, flag);
    try {
      return start();
    } finally {
      for (const [fd, flag] of ours) sys.setns(fd, flag);
      process.chdir(cwd); // setns into a mount namespace moved us to its root
    }
  } finally {
    for (const [fd] of [...theirs, ...ours]) closeSync(fd);
  }
}

/**
 * Run `start` with this process inside the cgroups of `pid` (every hierarchy), then move it
 * back: a child spawned meanwhile is born in the container's cgroups, so its memory, CPU and
 * pids count against the container's limits from its first instruction. (Moving the child
 * after spawn would leave a window where it runs, or forks, outside them.)
 */
export function inCgroupsOf<T>(pid: number, start: () => T): T {
  const layout = cgroupLayout();
  const dirsOf = (who: number | 'self') => readFileSync(`/proc/${who}/cgroup`, 'utf8').trim().split('\n').flatMap((line) => {
    const [, controllers, path] = line.split(':');
    const mount = controllers === '' ? layout.v2Mount : layout.v1[controllers.split(',')[0]];
    return mount ? [join(mount, path)] : [];
  });
  const theirs = dirsOf(pid);
  const ours = dirsOf('self');
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

export interface ExecOptions {
  argv: string[];
  env: string[];
  cwd: string;
  user?: { uid: number; gid: number };
  tty: boolean;
  stdio: SpawnOptions['stdio'];
}

/**
 * Spawn the command in the container of `pid`. With a terminal (a pty slave on stdio,
 * allocated in the container's devpts: pty.ts terminalRoot), the command must also make it
 * its controlling terminal, which Node's spawn cannot do: the host's static busybox, opened
 * here and passed as fd 3, runs as `setsid -c COMMAND` inside the container
 * (`/proc/self/fd/3` is the busybox binary, whatever the image holds).
 */
export function execIn(pid: number, options: ExecOptions): ChildProcess {
  const env = Object.fromEntries(options.env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  const busybox = options.tty ? findStaticBusybox() : undefined;
  const helper = busybox ? openSync(busybox, 'r') : undefined;
  const stdio = helper === undefined ? options.stdio : [...(options.stdio as unknown[]).slice(0, 3), helper];
  // The slave belongs to root, mode 0620: give it to -u's user, as runc does.
  if (options.tty && options.user && Array.isArray(options.stdio) && typeof options.stdio[0] === 'number') fchownSync(options.stdio[0], options.user.uid, -1);
  const spawnOptions: SpawnOptions = { env, cwd: options.cwd, uid: options.user?.uid, gid: options.user?.gid, stdio: stdio as SpawnOptions['stdio'] };
  // Not detached: busybox setsid forks (and its parent exits at once) when it already leads a
  // process group; as a plain child it calls setsid() itself, takes the terminal, and execs.
  try {
    return inCgroupsOf(pid, () => inNamespacesOf(pid, () => {
      if (!existsSync(options.cwd)) throw new CartonError(`exec: the working directory ${sys.q(options.cwd)} does not exist in the container`);
      return helper === undefined
        ? spawn(options.argv[0], options.argv.slice(1), spawnOptions)
        : spawn('/proc/self/fd/3', ['-c', ...options.argv], { ...spawnOptions, argv0: 'setsid' });
    }));
  } finally {
    if (helper !== undefined) closeSync(helper);
  }
}
