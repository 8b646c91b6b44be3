// Starting a container: spawn the stage as PID 1 of a new PID namespace, hand it its
// configuration, let the host-side steps run while it waits (the sync handshake), and wire
// its stdio: to this terminal (foreground), through a pseudo-terminal (-t), or to the log.
import { spawn, type ChildProcess, type SpawnOptions, type StdioOptions } from 'node:child_process';
import { closeSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { CartonError } from '../sys/index.js';
import { chapter } from '../impl.js';
import { nodeProgram } from './launch.js';
import { runRoot } from './paths.js';
import { SYNC_FD, type StageConfig, type StageFailure, type StageMessage } from './stage-config.js';
import { writeEtcFiles } from './etc-files.js';
import { attachTerminal, openPty, settled, type Pty } from './pty.js';
import { containerDir, type ContainerRecord } from './state.js';
import { cartonRoot } from './paths.js';
import { Volumes } from '../../solutions/05-overlayfs/volumes.js';

/** The container could not start; exitCode is 125, 126 or 127 as in Docker. */
export class StartError extends CartonError {
  constructor(message: string, hint: string | undefined, readonly exitCode: number) {
    super(message, hint);
  }
}

/** Where the container's stdio goes: this process's terminal, or a sink for its output. */
export type Io = { kind: 'inherit' } | { kind: 'capture'; output: (stream: 'stdout' | 'stderr', data: Buffer) => void };

export interface Running {
  child: ChildProcess;
  /** Resolves when the container's PID 1 has exited: [code, signal]. */
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** Restore the host terminal and close what start() opened. */
  close(): void;
}

const TINI = ['/usr/bin/tini-static', '/usr/bin/tini', '/sbin/tini'];

export function runDir(id: string): string {
  return join(runRoot(), id);
}

/** Where a container's own layer lives: upper and work dirs of its overlay (chapter 05). */
export function containerLayer(id: string): { upper: string; work: string } {
  return { upper: join(containerDir(id), 'upper'), work: join(containerDir(id), 'work') };
}

function stageMounts(record: ContainerRecord): StageConfig['mounts'] {
  return record.mounts.map((m) => {
    if (m.kind === 'tmpfs') return { type: 'tmpfs', source: 'tmpfs', target: m.target, readOnly: m.readOnly, options: m.options };
    const source = m.kind === 'volume' ? new Volumes(cartonRoot()).create(m.source).mountpoint : m.source;
    if (!existsSync(source)) throw new CartonError(`bind mount source path does not exist: ${source}`, 'create it first, or use a named volume: -v NAME:' + m.target);
    return { type: 'bind', source, target: m.target, readOnly: m.readOnly };
  });
}

function stageConfig(record: ContainerRecord, level: number, tty: boolean): StageConfig {
  let init: string | undefined;
  if (record.init) {
    init = TINI.find((p) => existsSync(p));
    if (!init) throw new CartonError('--init needs tini, which is not installed', 'apt-get install tini');
  }
  const dir = runDir(record.id);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const overlay = level >= 5 ? { lowers: record.layers, ...containerLayer(record.id), target: join(dir, 'merged') } : undefined;
  return {
    level, rootfs: overlay ? overlay.target : record.rootfs, argv: record.argv, env: record.env, cwd: record.cwd, hostname: record.hostname,
    etcFiles: level >= 3 ? writeEtcFiles(dir, record.hostname) : {}, user: record.user, init, tty,
    overlay, mounts: level >= 5 ? stageMounts(record) : [], readOnly: level >= 5 && record.readOnly, netns: record.network !== 'host',
  };
}

/**
 * Start the container of `record`. `onReady` runs while the stage waits with its namespaces
 * created and before it execs (cgroups, network). Resolves once the user's program runs.
 */
export async function startContainer(record: ContainerRecord, level: number, io: Io, onReady: (pid: number) => void | Promise<void>): Promise<Running> {
  const pty: Pty | undefined = record.tty ? openPty() : undefined;
  let closeTerminal = () => {
    if (pty) closeSync(pty.master);
  };
  const config = stageConfig(record, level, !!pty);
  const stdin = record.interactive ? (io.kind === 'inherit' ? 'inherit' : 'pipe') : 'ignore';
  const out = io.kind === 'inherit' ? 'inherit' : 'pipe';
  const stdio: StdioOptions = pty ? [pty.slave, pty.slave, pty.slave, 'pipe'] : [stdin, out, out, 'pipe'];
  // detached: the stage starts a session of its own, so a Ctrl-C at the terminal reaches
  // carton alone, which relays it once (not twice, as it would to a shared process group).
  const options: SpawnOptions = { stdio, detached: true, env: { PATH: process.env.PATH ?? '', CARTON_IMPL: process.env.CARTON_IMPL ?? '' } };
  const program = nodeProgram('stage');
  const child = level >= 2
    ? (await chapter.namespaces()).spawnInPidNamespace(process.execPath, program, options)
    : spawn(process.execPath, program, options);
  if (pty) closeSync(pty.slave); // the container holds it now; EIO on the master means it is gone
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c, s) => resolve([c, s]));
  });
  let drained: Promise<void> = Promise.resolve();
  if (pty && io.kind === 'inherit') {
    drained = new Promise((resolve) => (closeTerminal = attachTerminal(pty, resolve)));
  } else if (pty && io.kind === 'capture') {
    const master = (await import('node:tty')).ReadStream;
    const stream = new master(pty.master);
    stream.on('data', (d: Buffer) => io.output('stdout', d));
    drained = new Promise((resolve) => stream.on('error', () => resolve()).on('end', () => resolve()));
    closeTerminal = () => stream.destroy();
  } else if (io.kind === 'capture') {
    const streams = [['stdout', child.stdout], ['stderr', child.stderr]] as Array<['stdout' | 'stderr', Readable]>;
    for (const [name, stream] of streams) stream.on('data', (d: Buffer) => io.output(name, d));
    drained = Promise.all(streams.map(([, s]) => new Promise((r) => s.on('close', r)))).then(() => {});
  }

  try {
    const failure = await handshake(child.stdio[SYNC_FD] as Socket, config, () => onReady(child.pid!));
    if (failure) {
      await exited;
      throw new StartError(failure.error, failure.hint, failure.exitCode);
    }
  } catch (error) {
    child.kill('SIGKILL');
    await exited.catch(() => {});
    closeTerminal();
    throw error;
  }
  return {
    child,
    exited: exited.then(async (status) => {
      await settled(drained);
      return status;
    }),
    close: () => closeTerminal(),
  };
}

/**
 * Send the config; when the stage reports its namespaces ready, run the host-side steps and
 * say go. Resolves at EOF (the stage exec'd, or failed) with its failure report, if any.
 */
function handshake(sync: Socket, config: StageConfig, onReady: () => void | Promise<void>): Promise<StageFailure | undefined> {
  return new Promise((resolve, reject) => {
    let failure: StageFailure | undefined;
    let buffered = '';
    sync.setEncoding('utf8');
    sync.on('data', (chunk: string) => {
      buffered += chunk;
      for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
        const message = JSON.parse(buffered.slice(0, i)) as StageMessage;
        buffered = buffered.slice(i + 1);
        if ('error' in message) failure = message;
        else if ('ready' in message) Promise.resolve(onReady()).then(() => sync.write(JSON.stringify({ go: true }) + '\n'), reject);
      }
    });
    sync.on('error', () => {}); // the stage may exit before reading: its exit status tells
    sync.on('close', () => resolve(failure));
    sync.write(JSON.stringify(config) + '\n');
  });
}
