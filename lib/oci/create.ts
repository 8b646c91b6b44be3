// `carton oci create`: a container from a bundle, set up and waiting. The init (init.ts)
// is spawned in its PID namespace and told the spec; while it waits with its namespaces
// made, this process puts it in its cgroup and runs the createRuntime and prestart hooks;
// then the init finishes the set-up and reports "created", and this process records it,
// writes --pid-file and leaves. The init waits on the exec fifo until `start`.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { writeWhole } from '../runtime/write-whole.js';
import { release } from 'node:os';
import { join, resolve } from 'node:path';
import type { Socket } from 'node:net';
import { CartonError, q } from '../sys/index.js';
import * as sys from '../sys/index.js';
import { chapter } from '../impl.js';
import { nodeProgram } from '../runtime/launch.js';
import { startTime } from '../sys/proc.js';
import { stageEnv } from '../runtime/start.js';
import { cgroupLayout } from '../../solutions/00-doctor/cgroup-layout.js';
import type { Spec } from '../../solutions/08-oci/spec.js';
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
  const place = placement(spec.linux?.cgroupsPath, id, !!options.systemdCgroup);
  const seccomp = await compileSeccomp(spec);

  reserve(root, id);
  let child: ChildProcess | undefined;
  let cgroup: OciCgroup | undefined;
  try {
    sys.mkfifo(fifoPath(root, id), 0o600);
    const base: OciRecord = { id, pid: 0, bundle, rootfs, created: new Date().toISOString(), annotations: spec.annotations, cgroup: place };
    child = spawnInit(await chapter.namespaces(), plan.newPid, plan.pidPath, !spec.process.terminal);
    const exited = new Promise<void>((done) => child!.on('exit', () => done()));
    const config: InitConfig = { id, spec, rootfs, fifo: fifoPath(root, id), consoleSocket: options.consoleSocket ? resolve(options.consoleSocket) : undefined, seccomp, cgroupDirs: {} }; // cgroupDirs come with go
    const pid = child.pid!;
    const record: OciRecord = { ...base, pid, pidStart: startTime(pid) };
    await handshake(child.stdio[3] as Socket, config, exited, () => {
      cgroup = createCgroup(place, spec.linux?.resources);
      cgroup.join(pid);
      save(root, record); // from here on, delete --force finds and frees it
      const state = { ociVersion: spec.ociVersion, id, status: 'created' as const, pid, bundle, annotations: spec.annotations };
      runHooks(spec.hooks, 'createRuntime', state, options.warn);
      runHooks(spec.hooks, 'prestart', state, options.warn);
      return { cgroupDirs: cgroupDirsFor(cgroup.paths), state }; // the init runs createContainer and startContainer with it
    });
    save(root, record);
    if (options.pidFile) writeWhole(resolve(options.pidFile), String(pid));
    return { record, child };
  } catch (error) {
    child?.kill('SIGKILL');
    try {
      if (cgroup) destroyCgroup(place);
    } catch {
      // its processes were killed; the directory goes with the next delete
    }
    remove(root, id);
    throw error;
  }
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

function spawnInit(namespaces: Namespaces, newPid: boolean, pidPath: string | undefined, detached: boolean): ChildProcess {
  const options: SpawnOptions = { stdio: ['inherit', 'inherit', 'inherit', 'pipe'], detached, env: stageEnv() };
  const program = nodeProgram('../oci/init');
  if (pidPath) {
    const theirs = sys.open(pidPath, sys.O_RDONLY | sys.O_CLOEXEC);
    const ours = sys.open('/proc/self/ns/pid', sys.O_RDONLY | sys.O_CLOEXEC);
    try {
      sys.setns(theirs, sys.CLONE_NEWPID);
      try {
        return spawn(process.execPath, program, options);
      } finally {
        sys.setns(ours, sys.CLONE_NEWPID);
      }
    } finally {
      sys.close(theirs);
      sys.close(ours);
    }
  }
  if (newPid) return namespaces.spawnInPidNamespace(process.execPath, program, options);
  return spawn(process.execPath, program, options);
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
