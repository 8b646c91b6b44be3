// The carton side of running a container: start the stage, hand it its configuration,
// relay signals, and turn its end into an exit status the way Docker does.
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { CartonError } from '../sys/index.js';
import { nodeProgram } from './launch.js';
import { SYNC_FD, type StageConfig, type StageFailure } from './stage-config.js';
import { signalNumber } from './signals.js';

export interface RunOptions {
  rootfs: string;
  argv: string[];
  env: string[];
  cwd: string;
  level: number;
}

/** The container could not start; exitCode is 125, 126 or 127 as in Docker. */
export class StartError extends CartonError {
  constructor(message: string, hint: string | undefined, readonly exitCode: number) {
    super(message, hint);
  }
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/** Run a container in the foreground; resolves to its exit status. */
export async function runContainer(options: RunOptions): Promise<number> {
  const config: StageConfig = { level: options.level, rootfs: options.rootfs, argv: options.argv, env: options.env, cwd: options.cwd };
  const stdio: Array<'inherit' | 'pipe'> = ['inherit', 'inherit', 'inherit', 'pipe'];
  // detached: the stage starts a session of its own, so a Ctrl-C at the terminal reaches
  // carton alone, which relays it once (not twice, as it would to a shared process group).
  const child = spawn(process.execPath, nodeProgram('stage'), { stdio, detached: true, env: { PATH: process.env.PATH ?? '', CARTON_IMPL: process.env.CARTON_IMPL ?? '' } });
  const sync = child.stdio[SYNC_FD] as Socket;

  const relay = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, relay);

  let failure: StageFailure | undefined;
  let buffered = '';
  sync.setEncoding('utf8');
  sync.on('data', (chunk: string) => {
    buffered += chunk;
    for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
      const message = JSON.parse(buffered.slice(0, i)) as StageFailure;
      buffered = buffered.slice(i + 1);
      if ('error' in message) failure = message;
    }
  });
  sync.on('error', () => {}); // the stage may exit before reading: its exit status tells
  sync.write(JSON.stringify(config) + '\n');

  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, s) => resolve([c, s]));
  });
  for (const s of FORWARDED) process.off(s, relay);

  if (failure) throw new StartError(failure.error, failure.hint, failure.exitCode);
  if (signal) return 128 + signalNumber(signal);
  return code ?? 125;
}
