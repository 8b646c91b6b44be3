// Starting a container: spawn the stage as PID 1 of a new PID namespace, hand it its
// configuration, let the host-side steps run while it waits (the sync handshake), and wire
// its stdio: to this terminal (foreground), through a pseudo-terminal (-t, allocated in the
// container's own devpts during the handshake), or to the log.
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { ReadStream } from 'node:tty';
import { chownSync, closeSync, existsSync, fchownSync, mkdirSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import * as sys from '../sys/index.js';
import { CartonError } from '../sys/index.js';
import { StartError } from './start-error.js';
import { chapter } from '../impl.js';
import { exitOf, spawnStage, stageEnv, stageStdio, takeAhead, type Stage } from './stage-ahead.js';
import { nodeProgram } from './launch.js';
import { runDir } from './paths.js';
import { featuresAt } from './level.js';
import { SYNC_FD, type StageConfig, type StageFailure, type StageMessage, type StageSecurity, type TerminalMessage } from './stage-config.js';
import { cgroupLayout } from '../../solutions/00-doctor/cgroup-layout.js';
import { writeEtcFiles } from './etc-files.js';
import { privateRootfs } from './private-rootfs.js';
import { attachTerminal, newPty, setWindowSize, settled, type Pty } from './pty.js';
import { containerDir, containerLayer, type ContainerRecord } from './state.js';
import { giveToNamespaceRoot, idmapLayers, mapsOf, reachableFor, releaseIdmaps, spawnInUserNamespace, unmountIdmaps, type UserNamespace } from './userns.js';
import { shiftOwners } from './shifted-layers.js';
import { cartonRoot } from './paths.js';
import { volumeDirectory } from './volumes.js';
import { containerSpec, specSecurity, userMountsOf, type ContainerSpec } from './container-spec.js';
import type { Spec } from '../../solutions/08-oci/spec.js';

/** Where the container's stdio goes: this process's terminal, or a sink for its output. */
/**
 * Where a container's output goes: this process's own stdio (a foreground run; with `log`, a
 * copy to the container's log too, as Docker logs every container), or to `output` (the
 * monitor of a detached one, which writes the log).
 */
export type Io = { kind: 'inherit'; log?: (stream: 'stdout' | 'stderr', data: Buffer) => void } | { kind: 'capture'; output: (stream: 'stdout' | 'stderr', data: Buffer) => void; size?: { rows: number; columns: number } };

export interface Running {
  child: ChildProcess;
  /** The container's first process on the host (the child itself, but for --userns=private: unshare(1)'s child). */
  pid: number;
  /** Resolves when the container's PID 1 has exited: [code, signal]. */
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** Restore the host terminal and close what start() opened. */
  close(): void;
  /** A detached container's stdin (with -i) or terminal (with -t), for `carton attach`. */
  input(data: Buffer): void;
  /** End the container's stdin (an attached client's EOF; a terminal has none). */
  endInput(): void;
  /** The terminal's size (with -t). */
  resize(rows: number, columns: number): void;
}

const TINI = ['/usr/bin/tini-static', '/usr/bin/tini', '/sbin/tini'];

export { runDir };

export { containerLayer };

/** -v /missing:/x makes the host directory, as Docker's -v does (its --mount refuses instead): before the stage binds it. */
function makeMissingSources(spec: Spec): void {
  for (const m of userMountsOf(spec)) if (m.type === 'bind' && !existsSync(m.source!)) mkdirSync(m.source!, { recursive: true, mode: 0o755 });
}

/**
 * Docker's copy-up: a volume that is empty when the container starts, mounted where the
 * image has a directory, first gets a copy of that directory (owners, modes and times kept),
 * so `VOLUME /data` or `-v db:/var/lib/db` starts with the image's files. A bind mount
 * never does, nor a volume mounted `nocopy`.
 */
async function fillEmptyVolumes(record: ContainerRecord): Promise<string[]> {
  const volumes = record.mounts.filter((m) => m.kind === 'volume').map((m) => ({ m, dir: volumeDirectory(m) })).filter(({ dir }) => readdirSync(dir).length === 0);
  const empty = volumes.filter(({ m }) => !m.noCopy);
  if (!empty.length) return volumes.map(({ dir }) => dir);
  const [{ withContainerRoot }, { copyBetweenRoots, isDirectoryIn }, security] = await Promise.all([import('./container-fs.js'), import('./copy.js'), chapter.security()]);
  await withContainerRoot(record, async (root) => {
    // The target's symlinks are followed as the container would follow them: inside its root.
    for (const { m, dir } of empty) if (isDirectoryIn(root, m.target)) copyBetweenRoots(security, root, m.target, dir, '/', true);
  });
  return volumes.map(({ dir }) => dir);
}

/** Chapter 09: Docker's defaults unless the record asks otherwise; undefined below chapter 09. */
export async function stageSecurity(record: ContainerRecord, level: number): Promise<StageSecurity | undefined> {
  if (!featuresAt(level).security) return undefined;
  const security = await chapter.security();
  const spec = record.security ?? { capAdd: [], capDrop: [], privileged: false, securityOpt: [] };
  const config = security.securityConfig(spec, join(cartonRoot(), 'cache', 'seccomp'));
  // Without a devices cgroup and without cgroup v2's BPF program (no cgroup2 hierarchy at
  // all), device nodes are made inert instead: the root is mounted nodev, and no container
  // can make new ones (CAP_MKNOD goes).
  const layout = cgroupLayout();
  const nodev = !spec.privileged && !layout.v1.devices && !layout.v2Mount;
  if (nodev) config.capabilities = config.capabilities.filter((c) => c !== 'CAP_MKNOD');
  return { ...config, privileged: spec.privileged, nodev };
}

/**
 * What the stage is told: the container's OCI spec (container-spec.ts), which it turns into
 * the container, with carton's additions beside it (the overlay's layers, tini). The spec is
 * also written into the container's bundle, its run directory, as config.json (mode 0600: it
 * holds the environment), beside the /etc files its mounts name, as containerd writes the
 * bundle it hands runc.
 */
function stageConfig(record: ContainerRecord, level: number, { spec, carton }: ContainerSpec): StageConfig {
  let init: string | undefined;
  if (carton.init) {
    init = TINI.find((p) => existsSync(p));
    if (!init) throw new CartonError('--init needs tini, which is not installed', 'apt-get install tini');
  }
  const dir = runDir(record.id);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (featuresAt(level).filesystem) writeEtcFiles(dir, spec.hostname ?? '', record.extraHosts, record.dns);
  makeMissingSources(spec);
  if (!carton.overlay) privateRootfs(record); // below chapter 05: the root is a copy of the image's, made once (spec.root.path)
  writeFileSync(join(dir, 'config.json'), JSON.stringify(spec, null, 2) + '\n', { mode: 0o600 });
  return {
    level, spec, init,
    ...(carton.overlay ? { overlay: carton.overlay } : {}),
    loopbackUp: featuresAt(level).network && carton.network === 'none',
  };
}

/**
 * The container's spec as it is shown (run --spec-out, inspect's Carton.Spec): the one the
 * start path reads, with its seccomp profile resolved into config.json's form as well.
 */
export async function specToShow(record: ContainerRecord, level: number): Promise<ContainerSpec> {
  return containerSpec(record, level, await specSecurity(record, await stageSecurity(record, level)));
}

/** Spawn the stage in a user namespace of its own (userns.ts): never started ahead. */
async function spawnUsernsStage(stdio: StdioOptions, userns: UserNamespace, socket: string): Promise<Stage> {
  const env = { ...stageEnv(), CARTON_SYNC_SOCKET: socket };
  const { child, pid } = await spawnInUserNamespace(nodeProgram('stage'), { stdio, detached: true, env }, mapsOf(userns));
  return { child, pid, exited: exitOf(child), key: 'userns' };
}

/**
 * --userns=private: the stage's sync channel. Its fd 3 is shared with unshare(1), which waits
 * for it, so no EOF would come when the stage execs: the stage connects here instead, and this
 * connection is the one that ends at its execve. The socket belongs to the namespace's root.
 */
function listenForStage(id: string, userns: UserNamespace): { path: string; connected: Promise<Socket>; close(): void } {
  const path = join(runDir(id), 's');
  reachableFor(runDir(id));
  rmSync(path, { force: true });
  const server = createServer();
  const connected = new Promise<Socket>((resolve, reject) => {
    server.once('connection', (socket) => {
      server.close();
      rmSync(path, { force: true });
      resolve(socket);
    });
    server.once('error', reject);
  });
  connected.catch(() => {});
  server.listen(path); // bound at once (libuv binds a unix socket synchronously)
  chownSync(path, userns.uid, userns.gid);
  return { path, connected, close: () => { server.close(); rmSync(path, { force: true }); } };
}

/**
 * --userns=private, before the stage is told anything: its overlay's lowers become idmapped
 * copies of the layers, its upper and work directories belong to its root, and the paths it
 * must reach as that unprivileged id are searchable.
 */
function inUserNamespace(record: ContainerRecord, config: StageConfig, pid: number, userns: UserNamespace): void {
  config.userns = true;
  reachableFor(containerDir(record.id)); // its run directory: listenForStage made it reachable
  if (!config.overlay) return;
  const { upper, work } = config.overlay;
  const target = config.spec.root.path;
  giveToNamespaceRoot([upper, work], userns);
  mkdirSync(target, { recursive: true });
  config.overlay = { ...config.overlay, lowers: idmapLayers(record.id, config.overlay.lowers, pid, userns) };
}

/**
 * Start the container of `record`. `onReady` runs while the stage waits with its namespaces
 * created and before it execs (cgroups, network). Resolves once the user's program runs.
 */
export async function startContainer(record: ContainerRecord, level: number, io: Io, onReady: (pid: number) => void | Promise<void>): Promise<Running> {
  const fresh = featuresAt(level).volumes ? await fillEmptyVolumes(record) : [];
  // --userns=private: a volume met empty (and filled from the image) is given to the
  // namespace's ids, as Docker's userns-remap does; one with data keeps its owners.
  if (featuresAt(level).security && record.userns) for (const dir of fresh) shiftOwners(dir, record.userns);
  const security = await stageSecurity(record, level);
  // The bundle's config.json is the whole spec, its seccomp profile as Docker writes it; the
  // stage loads the compiled filter (security) instead.
  const config = stageConfig(record, level, containerSpec(record, level, await specSecurity(record, security)));
  config.security = security;
  const stdio = stageStdio(record.tty, record.interactive, { inherit: io.kind === 'inherit', logged: io.kind !== 'inherit' || !!io.log });
  const userns = featuresAt(level).security ? record.userns : undefined;
  const key = JSON.stringify([featuresAt(level).namespaces, stdio]);
  const listening = userns ? listenForStage(record.id, userns) : undefined;
  const { child, exited, pid: stagePid } = userns ? await spawnUsernsStage(stdio, userns, listening!.path) : takeAhead(key) ?? await spawnStage(level, stdio);
  const piped = io.kind === 'capture' ? capture(child, io) : io.log ? tee(child, io.log) : Promise.resolve();
  let pid: number;
  let sync = child.stdio[SYNC_FD] as Socket;
  try {
    pid = await stagePid;
    if (userns) {
      inUserNamespace(record, config, pid, userns);
      sync = await Promise.race([listening!.connected, exited.then(() => { throw new StartError('the container\'s first process exited before it connected', undefined, 125); })]);
    }
  } catch (error) {
    listening?.close();
    child.kill('SIGKILL');
    await exited.catch(() => {});
    if (userns) releaseIdmaps(record.id);
    throw error;
  }

  let pty: Pty | undefined;
  const allocateTerminal = () => {
    // The stage waits, its devpts mounted and nothing of the image running yet: the path
    // through its root is ours to trust.
    pty = newPty(`/proc/${pid}/root`);
    // --userns=private: the slave is ours (host root), which the stage, the namespace's root,
    // may not open. Hand it over through the master, with no path to follow.
    if (userns) {
      const slave = sys.ioctlInt(pty.master, sys.TIOCGPTPEER, sys.O_RDWR | sys.O_NOCTTY | sys.O_CLOEXEC);
      try {
        fchownSync(slave, userns.uid, userns.gid);
      } finally {
        closeSync(slave);
      }
    }
    // Before the program starts, so that it reads the right size at once.
    if (io.kind === 'inherit' && process.stdout.isTTY) setWindowSize(pty.master, process.stdout.rows, process.stdout.columns);
    else if (io.kind === 'capture' && io.size) setWindowSize(pty.master, io.size.rows, io.size.columns); // run -it's terminal, through the monitor
    return pty.slavePath;
  };
  try {
    const ready = () => {
      // The stage has its mount namespace, with its copies of the idmapped layers: ours go.
      if (userns) unmountIdmaps(record.id);
      return onReady(pid);
    };
    const failure = await handshake(sync, config, ready, allocateTerminal);
    if (failure) {
      await exited;
      throw new StartError(failure.error, failure.hint, failure.exitCode);
    }
  } catch (error) {
    child.kill('SIGKILL');
    await exited.catch(() => {});
    if (pty) closeSync(pty.master);
    if (userns) releaseIdmaps(record.id);
    throw error;
  }
  // The program runs and holds the slave: EIO on the master will mean it is gone.
  const terminal = pty ? connectTerminal(pty, io) : { drained: Promise.resolve(), close: () => {} };
  // Once closed, the master's fd number is free for the next file this process opens: a
  // late keystroke or resize (an attach client's, after the container ended) must not reach it.
  let closed = false;
  const master = () => (closed || terminal.gone?.() ? undefined : pty?.master);
  return {
    child,
    pid,
    exited: exited.then(async (status) => {
      await settled(Promise.all([piped, terminal.drained]));
      return status;
    }),
    close: () => {
      closed = true;
      terminal.close();
    },
    input: (data) => {
      if (io.kind !== 'capture' || closed) return;
      try {
        const fd = master();
        if (fd !== undefined) writeSync(fd, data);
        else child.stdin?.write(data);
      } catch {
        // the container closed its side
      }
    },
    endInput: () => {
      if (io.kind === 'capture' && !closed && pty === undefined) child.stdin?.end();
    },
    resize: (rows, columns) => {
      const fd = master();
      if (io.kind !== 'capture' || fd === undefined) return;
      try {
        setWindowSize(fd, rows, columns);
      } catch {
        // the container's side is gone: no window to size (the monitor must not die of it)
      }
    },
  };
}

/** Copy the stage's piped stdout and stderr (whichever it has) to `io`; resolves at their end. */
function capture(child: ChildProcess, io: Extract<Io, { kind: 'capture' }>): Promise<void> {
  const streams = ([['stdout', child.stdout], ['stderr', child.stderr]] as Array<['stdout' | 'stderr', Readable | null]>)
    .filter((entry): entry is ['stdout' | 'stderr', Readable] => entry[1] !== null);
  for (const [name, stream] of streams) stream.on('data', (d: Buffer) => io.output(name, d));
  return Promise.all(streams.map(([, s]) => new Promise((r) => s.on('close', r)))).then(() => {});
}

/**
 * A foreground container's piped stdout and stderr, to this process's and to the log. When
 * our stdout is a pipe its reader closed (`carton run … | head`), the container's pipe is
 * closed too, so that it meets EPIPE (or SIGPIPE) as it would have writing there itself.
 */
function tee(child: ChildProcess, log: (stream: 'stdout' | 'stderr', data: Buffer) => void): Promise<void> {
  const streams = ([['stdout', child.stdout, process.stdout], ['stderr', child.stderr, process.stderr]] as Array<['stdout' | 'stderr', Readable | null, NodeJS.WriteStream]>)
    .filter((entry): entry is ['stdout' | 'stderr', Readable, NodeJS.WriteStream] => entry[1] !== null);
  for (const [name, source, target] of streams) {
    let broken = false;
    target.on('error', () => {
      broken = true;
      source.destroy();
    });
    source.on('data', (d: Buffer) => {
      log(name, d);
      if (!broken) target.write(d);
    });
  }
  return Promise.all(streams.map(([, s]) => new Promise((r) => s.on('close', r)))).then(() => {});
}

/**
 * The master side of -t: to this terminal (raw mode, resizes), or to `io` (the log of a
 * detached container, where a terminal merges stdout and stderr into one stream).
 */
function connectTerminal(pty: Pty, io: Io): { drained: Promise<void>; close: () => void; gone?: () => boolean } {
  if (io.kind === 'inherit') {
    let close = () => {};
    const log = io.log;
    const drained = new Promise<void>((resolve) => (close = attachTerminal(pty, resolve, log ? (d) => log('stdout', d) : undefined)));
    return { drained, close };
  }
  const stream = new ReadStream(pty.master);
  stream.on('data', (d: Buffer) => io.output('stdout', d));
  // At the container's end (EIO) the stream closes the master's fd itself, before it emits
  // 'error' or 'end': from then on the number may be anyone's (the next accepted attach client's).
  let gone = false;
  const drained = new Promise<void>((resolve) => stream.on('error', () => resolve()).on('end', () => resolve())).finally(() => (gone = true));
  stream.on('close', () => (gone = true));
  return { drained, close: () => stream.destroy(), gone: () => gone || stream.destroyed };
}

/**
 * Send the config; when the stage reports its namespaces ready, run the host-side steps and
 * say go; when it asks for a terminal (-t), allocate one in its devpts and name the slave.
 * Resolves at EOF (the stage exec'd, or failed) with its failure report, if any.
 */
function handshake(sync: Socket, config: StageConfig, onReady: () => void | Promise<void>, onDevpts: () => string): Promise<StageFailure | undefined> {
  return new Promise((resolve, reject) => {
    let failure: StageFailure | undefined;
    let buffered = '';
    const send = (message: unknown) => sync.write(JSON.stringify(message) + '\n');
    sync.setEncoding('utf8');
    sync.on('data', (chunk: string) => {
      buffered += chunk;
      for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
        const message = JSON.parse(buffered.slice(0, i)) as StageMessage;
        buffered = buffered.slice(i + 1);
        if ('error' in message) failure = message;
        else if ('ready' in message) Promise.resolve(onReady()).then(() => send({ go: true }), reject);
        else if ('devpts' in message) {
          try {
            send({ tty: onDevpts() } satisfies TerminalMessage);
          } catch (error) {
            reject(error);
          }
        }
      }
    });
    sync.on('error', () => {}); // the stage may exit before reading: its exit status tells
    sync.on('close', () => resolve(failure));
    send(config);
  });
}
