// The carton side of running a container in the foreground: prepare its state, start the
// stage in a new PID namespace, let the host-side steps run while the stage waits (the sync
// handshake), relay signals or a terminal, and turn the end into an exit status as Docker does.
import { spawn, type ChildProcess, type SpawnOptions, type StdioOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { CartonError } from '../sys/index.js';
import { chapter } from '../impl.js';
import { nodeProgram } from './launch.js';
import { runRoot } from './paths.js';
import { SYNC_FD, type StageConfig, type StageMessage } from './stage-config.js';
import { signalNumber } from './signals.js';
import { writeEtcFiles } from './etc-files.js';
import { attachTerminal, openPty } from './pty.js';

export interface RunOptions {
  rootfs: string;
  argv: string[];
  env: string[];
  cwd: string;
  level: number;
  name?: string;
  hostname?: string;
  user?: { uid: number; gid: number; groups: number[] };
  interactive: boolean;
  tty: boolean;
  init: boolean;
  /** Host-side steps between namespace creation and execve (cgroups, network). */
  onReady?: (pid: number, id: string) => void | Promise<void>;
  onExit?: (id: string) => void | Promise<void>;
}

/** The container could not start; exitCode is 125, 126 or 127 as in Docker. */
export class StartError extends CartonError {
  constructor(message: string, hint: string | undefined, readonly exitCode: number) {
    super(message, hint);
  }
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];
const TINI = ['/usr/bin/tini-static', '/usr/bin/tini', '/sbin/tini'];

export function newContainerId(): string {
  return randomBytes(32).toString('hex');
}

/** Run a container in the foreground; resolves to its exit status. */
export async function runContainer(options: RunOptions): Promise<number> {
  const id = newContainerId();
  const hostname = options.hostname ?? id.slice(0, 12);
  const dir = join(runRoot(), id);
  let init: string | undefined;
  if (options.init) {
    init = TINI.find((p) => existsSync(p));
    if (!init) throw new CartonError('--init needs tini, which is not installed', 'apt-get install tini');
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pty = options.tty ? openPty() : undefined;
  let restoreTerminal = () => {
    if (pty) closeSync(pty.master); // never attached: close it ourselves
  };
  try {
    const config: StageConfig = {
      level: options.level, rootfs: options.rootfs, argv: options.argv, env: options.env, cwd: options.cwd,
      hostname, etcFiles: options.level >= 3 ? writeEtcFiles(dir, hostname) : {}, user: options.user, init, tty: !!pty,
    };
    const stdin = options.interactive ? 'inherit' : 'ignore';
    const stdio: StdioOptions = pty ? [pty.slave, pty.slave, pty.slave, 'pipe'] : [stdin, 'inherit', 'inherit', 'pipe'];
    // detached: the stage starts a session of its own, so a Ctrl-C at the terminal reaches
    // carton alone, which relays it once (not twice, as it would to a shared process group).
    const spawnOptions: SpawnOptions = { stdio, detached: true, env: { PATH: process.env.PATH ?? '', CARTON_IMPL: process.env.CARTON_IMPL ?? '' } };
    const program = nodeProgram('stage');
    const child: ChildProcess = options.level >= 2
      ? (await chapter.namespaces()).spawnInPidNamespace(process.execPath, program, spawnOptions)
      : spawn(process.execPath, program, spawnOptions);
    if (pty) closeSync(pty.slave); // the container holds it now; EIO on the master means it is gone

    const relay = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of FORWARDED) process.on(signal, relay);
    const ended = new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (c, s) => resolve([c, s]));
    });
    let output: Promise<void> = Promise.resolve();
    if (pty) output = new Promise((resolve) => (restoreTerminal = attachTerminal(pty, resolve)));

    const failure = await handshake(child.stdio[SYNC_FD] as Socket, config, async () => {
      await options.onReady?.(child.pid!, id);
    }).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    const [code, signal] = await ended;
    for (const s of FORWARDED) process.off(s, relay);
    if (pty) await Promise.race([output, new Promise((r) => setTimeout(r, 200))]);
    if (failure) throw new StartError(failure.error, failure.hint, failure.exitCode);
    if (signal) return 128 + signalNumber(signal);
    return code ?? 125;
  } finally {
    restoreTerminal(); // also closes the pty master
    await options.onExit?.(id);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Send the config; when the stage reports its namespaces ready, run the host-side steps and
 * say go. Resolves at EOF (the stage exec'd or exited) with its failure report, if any.
 */
function handshake(sync: Socket, config: StageConfig, onReady: () => Promise<void>): Promise<{ error: string; hint?: string; exitCode: number } | undefined> {
  return new Promise((resolve, reject) => {
    let failure: { error: string; hint?: string; exitCode: number } | undefined;
    let buffered = '';
    sync.setEncoding('utf8');
    sync.on('data', (chunk: string) => {
      buffered += chunk;
      for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
        const message = JSON.parse(buffered.slice(0, i)) as StageMessage;
        buffered = buffered.slice(i + 1);
        if ('error' in message) failure = message;
        else if ('ready' in message) onReady().then(() => sync.write(JSON.stringify({ go: true }) + '\n'), reject);
      }
    });
    sync.on('error', () => {}); // the stage may exit before reading: its exit status tells
    sync.on('close', () => resolve(failure));
    sync.write(JSON.stringify(config) + '\n');
  });
}
