// `carton oci create`: a container from a bundle, set up and waiting. The init (init.ts)
// is spawned in its PID namespace and told the spec; while it waits with its namespaces
// made, this process puts it in its cgroup and runs the createRuntime and prestart hooks;
// then the init finishes the set-up and reports "created", and this process records it,
// writes --pid-file and leaves. The init waits on the exec fifo until `start`.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chownSync, readFileSync, statSync } from 'node:fs';
import { writeWhole } from '../runtime/write-whole.js';
import { release } from 'node:os';
import { join, resolve } from 'node:path';
import type { Socket } from 'node:net';
import { CartonError, q } from '../sys/index.js';
import * as sys from '../sys/index.js';
import { chapter } from '../impl.js';
import { nodeProgram } from '../runtime/launch.js';
import { startTime } from '../sys/proc.js';
import { stageEnv } from '../runtime/stage-ahead.js';
import { cgroupLayout } from '../../solutions/00-doctor/cgroup-layout.js';
import type { Spec } from '../../solutions/08-oci/spec.js';
import type { NamespacePlan } from '../../solutions/08-oci/namespaces.js';
import { spawnInUserNamespace, type UserNamespaceTarget } from '../runtime/userns.js';
import { createCgroup, destroyCgroup, placement, type OciCgroup } from './cgroups.js';
import { runHooks } from './hooks.js';
import type { InitConfig, InitMessage } from './init-config.js';
import { fifoPath, remove, reserve, save, type OciRecord } from './store.js';

type Namespaces = Awaited<ReturnType<typeof chapter.namespaces>>;

export interface CreateOptions {
  root: string;
  id: string;
  bundle: string;
  pidFile?: string;
  consoleSocket?: string;
  systemdCgroup?: boolean;
  /** Warnings (a failing poststart hook): to the log. */
  warn: (message: string) => void;
}

export interface Created {
  record: OciRecord;
  /** The init, still a child of this process (`run` waits for it). */
  child: ChildProcess;
}

/** Read and check <bundle>/config.json. */
export async function readBundle(bundle: string): Promise<Spec> {
  const file = join(bundle, 'config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CartonError(`read ${q(file)}: ${(error as NodeJS.ErrnoException).code}`, 'a bundle is a directory with config.json and the root filesystem: carton oci spec writes a config.json');
  }
  return (await chapter.oci()).parseSpec(text, file);
}

/** linux.seccomp compiled for this machine by chapter 09's compiler (the format is Docker's, without archMap). */
export async function compileSeccomp(spec: Spec): Promise<string | undefined> {
  if (!spec.linux?.seccomp) return undefined;
  const security = await chapter.security();
  const profile = security.parseProfile(JSON.stringify(spec.linux.seccomp), 'linux.seccomp of config.json');
  const caps = spec.process?.capabilities?.bounding ?? [];
  return security.compileProfile(profile, { arch: security.nativeArch(), caps, kernel: release() }).toString('base64');
}

export async function create(options: CreateOptions): Promise<Created> {
  const { root, id } = options;
  const bundle = resolve(options.bundle);
  const spec = await readBundle(bundle);
  if (!spec.process) throw new CartonError(`${join(bundle, 'config.json')}: process: missing: the container needs a program to run`);
  const rootfs = resolve(bundle, spec.root.path);
  if (!isDirectory(rootfs)) throw new CartonError(`root.path: ${q(rootfs)} is not a directory`, 'the root filesystem must be there before create');
  if (spec.process.terminal && !options.consoleSocket) throw new CartonError('process.terminal is true: --console-socket is required to receive the terminal', 'pass --console-socket PATH, or set "terminal": false');
  if (!spec.process.terminal && options.consoleSocket) throw new CartonError('--console-socket needs process.terminal to be true');
  const plan = (await chapter.oci()).namespacePlan(spec.linux?.namespaces);
  const userns = userNamespaceOf(spec, plan);
  const place = placement(spec.linux?.cgroupsPath, id, !!options.systemdCgroup);
  const seccomp = await compileSeccomp(spec);

  reserve(root, id);
  let passed: number[] = [];
  let child: ChildProcess | undefined;
  let cgroup: OciCgroup | undefined;
  try {
    sys.mkfifo(fifoPath(root, id), 0o600);
    passed = [sys.open(fifoPath(root, id), sys.O_PATH | sys.O_CLOEXEC)];
    if (options.consoleSocket) passed.push(sys.connectUnix(resolve(options.consoleSocket)));
    const base: OciRecord = { id, pid: 0, bundle, rootfs, created: new Date().toISOString(), annotations: spec.annotations, cgroup: place };
    const spawned = await spawnInit(await chapter.namespaces(), plan, userns, !spec.process.terminal, passed);
    child = spawned.child;
    const exited = new Promise<void>((done) => child!.on('exit', () => done()));
    const config: InitConfig = { id, spec, rootfs, console: !!options.consoleSocket, seccomp, cgroupDirs: {}, userns: !!userns }; // cgroupDirs come with go
    const pid = spawned.pid;
    const record: OciRecord = { ...base, pid, pidStart: startTime(pid) };
    await handshake(child.stdio[3] as Socket, config, exited, () => {
      // The init, root of its user namespace, must open the fifo for writing: it is its root's, as runc makes it.
      if (userns) chownSync(fifoPath(root, id), rootOf(pid, 'uid'), rootOf(pid, 'gid'));
      cgroup = createCgroup(place, spec.linux?.resources);
      cgroup.join(pid);
      save(root, record); // from here on, delete --force finds and frees it
      const state = { ociVersion: spec.ociVersion, id, status: 'created' as const, pid, bundle, annotations: spec.annotations };
      runHooks(spec.hooks, 'createRuntime', state, options.warn);
      runHooks(spec.hooks, 'prestart', state, options.warn);
      return { cgroupDirs: cgroupDirsFor(cgroup.paths), state }; // the init runs createContainer and startContainer with it
    });
    save(root, record);
    closeAll(passed);
    if (options.pidFile) writeWhole(resolve(options.pidFile), String(pid));
    return { record, child };
  } catch (error) {
    child?.kill('SIGKILL');
    closeAll(passed);
    passed = [];
    try {
      if (cgroup) destroyCgroup(place);
    } catch {
      // its processes were killed; the directory goes with the next delete
    }
    remove(root, id);
    throw error;
  }
}

function closeAll(fds: number[]): void {
  for (const fd of fds) sys.close(fd);
}

/** The host id that is 0 in the user namespace of `pid` (its uid_map or gid_map). */
function rootOf(pid: number, kind: 'uid' | 'gid'): number {
  const file = `/proc/${pid}/${kind}_map`;
  const line = readFileSync(file, 'utf8').split('\n').map((l) => l.trim().split(/\s+/).map(Number)).find(([inside, , size]) => inside === 0 && size > 0);
  if (!line) throw new CartonError(`${file}: no mapping for ${kind} 0: the container would have no root`, 'map containerID 0 in linux.' + kind + 'Mappings');
  return line[1];
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The container's directory in each hierarchy, keyed by the hierarchy's mount name (pure v2: "."). */
function cgroupDirsFor(paths: string[]): Record<string, string> {
  const layout = cgroupLayout();
  if (layout.mode === 'v2') return { '.': paths[0] };
  const dirs: Record<string, string> = {};
  // The v1 hierarchies only on a hybrid machine: runc shows a container no "unified" either.
  const mounts = [...new Set(Object.values(layout.v1))];
  for (const mount of mounts) {
    const dir = paths.find((p) => p.startsWith(mount + '/'));
    if (dir) dirs[mount.split('/').pop()!] = dir;
  }
  return dirs;
}

/**
 * linux.namespaces' user entry and linux.uidMappings/gidMappings, checked as runc checks
 * them: a new namespace needs both maps, maps need a namespace to go in.
 */
function userNamespaceOf(spec: Spec, plan: NamespacePlan): UserNamespaceTarget | undefined {
  const { uidMappings = [], gidMappings = [] } = spec.linux ?? {};
  if (!plan.newUser && !plan.userPath) {
    if (uidMappings.length || gidMappings.length) throw new CartonError('linux.uidMappings: mappings are given, but linux.namespaces has no user namespace to put them in', 'add { "type": "user" } to linux.namespaces, or remove the mappings');
    return undefined;
  }
  if (plan.pidPath) throw new CartonError('linux.namespaces: joining an existing pid namespace from a user namespace is not supported by carton');
  if (plan.userPath) return { path: plan.userPath };
  if (!uidMappings.length) throw new CartonError('linux.uidMappings: a new user namespace needs its uid mappings', 'add e.g. [{ "containerID": 0, "hostID": 100000, "size": 65536 }]');
  if (!gidMappings.length) throw new CartonError('linux.gidMappings: a new user namespace needs its gid mappings', 'add e.g. [{ "containerID": 0, "hostID": 100000, "size": 65536 }]');
  const lines = (maps: typeof uidMappings) => maps.map((m) => ({ inside: m.containerID, outside: m.hostID, size: m.size }));
  return { uid: lines(uidMappings), gid: lines(gidMappings) };
}

/** The init, and its pid on the host (not the child's when util-linux programs stand between: userns.ts). */
async function spawnInit(namespaces: Namespaces, plan: NamespacePlan, userns: UserNamespaceTarget | undefined, detached: boolean, passed: number[]): Promise<{ child: ChildProcess; pid: number }> {
  // fd 3 the sync socket, then FIFO_FD and CONSOLE_FD (init-config.ts).
  const options: SpawnOptions = { stdio: ['inherit', 'inherit', 'inherit', 'pipe', ...passed], detached, env: stageEnv() };
  const program = nodeProgram('../oci/init');
  if (userns) {
    const spawned = await spawnInUserNamespace(program, options, userns, plan.newPid);
    return { child: spawned.child, pid: await spawned.pid };
  }
  const direct = (child: ChildProcess) => ({ child, pid: child.pid! });
  if (plan.pidPath) {
    const theirs = sys.open(plan.pidPath, sys.O_RDONLY | sys.O_CLOEXEC);
    const ours = sys.open('/proc/self/ns/pid', sys.O_RDONLY | sys.O_CLOEXEC);
    try {
      sys.setns(theirs, sys.CLONE_NEWPID);
      try {
        return direct(spawn(process.execPath, program, options));
      } finally {
        sys.setns(ours, sys.CLONE_NEWPID);
      }
    } finally {
      sys.close(theirs);
      sys.close(ours);
    }
  }
  if (plan.newPid) return direct(namespaces.spawnInPidNamespace(process.execPath, program, options));
  return direct(spawn(process.execPath, program, options));
}

function handshake(sync: Socket, config: InitConfig, exited: Promise<void>, onReady: () => Partial<InitConfig>): Promise<void> {
  return new Promise((resolve_, reject) => {
    let buffered = '';
    let done = false;
    const send = (message: unknown) => sync.write(JSON.stringify(message) + '\n');
    const fail = (error: unknown) => {
      done = true;
      reject(error);
    };
    sync.setEncoding('utf8');
    sync.on('data', (chunk: string) => {
      buffered += chunk;
      for (let i = buffered.indexOf('\n'); i >= 0 && !done; i = buffered.indexOf('\n')) {
        const message = JSON.parse(buffered.slice(0, i)) as InitMessage;
        buffered = buffered.slice(i + 1);
        if ('error' in message) fail(new CartonError(message.error, message.hint));
        else if ('ready' in message) {
          try {
            send({ go: true, ...onReady() });
          } catch (error) {
            fail(error);
          }
        } else if ('created' in message) {
          done = true;
          sync.destroy();
          resolve_();
        }
      }
    });
    sync.on('error', () => {});
    sync.on('close', () => {
      if (!done) exited.then(() => fail(new CartonError('the container\'s init exited before it was created')));
    });
    send(config);
  });
}
