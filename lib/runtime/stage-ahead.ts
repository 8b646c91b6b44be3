// The container's first process, started ahead: `carton run` spawns the stage (as PID 1 of
// a new PID namespace from chapter 02 on) as soon as it knows the run's stdio, before it has
// even loaded the run command's code, so that the stage's Node boots and loads its chapters
// on the other core while carton resolves the image, writes the record and builds the spec.
// The stage waits for its configuration on the sync socket (stage.ts). Light on purpose:
// nothing here may import what the start path needs, or the spawn would wait for it.
import { spawn, type ChildProcess, type SpawnOptions, type StdioOptions } from 'node:child_process';
import { chapter, SOLVED } from '../impl.js';
import { nodeProgram } from './launch.js';
import { chapterLevel, featuresAt } from './level.js';

/** The stage's own environment (the container's is in its config): no more than it needs. */
export function stageEnv(): NodeJS.ProcessEnv {
  // The chapters the learner skipped, as resolved here: the stage need not read the workbook's file.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', CARTON_IMPL: process.env.CARTON_IMPL ?? '', CARTON_SOLUTIONS: SOLVED.join(',') };
  if (process.env.NODE_COMPILE_CACHE) env.NODE_COMPILE_CACHE = process.env.NODE_COMPILE_CACHE; // see carton.js
  return env;
}

export interface Stage {
  child: ChildProcess;
  /** The stage's pid on the host, once it can be told its configuration. */
  pid: Promise<number>;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** What it was spawned with: a stage started ahead is used only by a container that needs the same. */
  key: string;
}

/** The stage's stdio: -t gets its terminal later (the devpts round); stdin only with -i. */
export function stageStdio(tty: boolean, interactive: boolean, io: { inherit: boolean; logged: boolean }): StdioOptions {
  const stdin = interactive ? (io.inherit ? 'inherit' : 'pipe') : 'ignore';
  const out = io.inherit && !io.logged ? 'inherit' : 'pipe';
  // With -t the stage starts with no terminal: it asks for one once its /dev/pts is mounted
  // (the handshake's devpts round). Until then only its stderr is kept, for its own errors.
  return tty ? ['ignore', 'ignore', out, 'pipe'] : [stdin, out, out, 'pipe'];
}

export async function spawnStage(level: number, stdio: StdioOptions): Promise<Stage> {
  const namespaces = featuresAt(level).namespaces;
  // detached: the stage starts a session of its own, so a Ctrl-C at the terminal reaches
  // carton alone, which relays it once (not twice, as it would to a shared process group).
  // CARTON_STAGE_LEVEL: which chapters to load while it waits for its configuration.
  const options: SpawnOptions = { stdio, detached: true, env: { ...stageEnv(), CARTON_STAGE_LEVEL: String(level) } };
  const program = nodeProgram('stage');
  const child = namespaces
    ? (await chapter.namespaces()).spawnInPidNamespace(process.execPath, program, options)
    : spawn(process.execPath, program, options);
  return { child, pid: Promise.resolve(child.pid!), exited: exitOf(child), key: JSON.stringify([namespaces, stdio]) };
}

/** The stage's end, listened to at once: a stage started ahead may end before its container needs it. */
export function exitOf(child: ChildProcess): Promise<[number | null, NodeJS.Signals | null]> {
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c, s) => resolve([c, s]));
  });
  exited.catch(() => {}); // a spawn error is the caller's to see, through `exited`
  return exited;
}

let ahead: Stage | undefined;

/**
 * Start the stage's Node now, while this process still parses flags, resolves the image,
 * writes the record and makes the cgroups: the two Node starts overlap. The stage waits on
 * its sync socket; startContainer takes it if it needs the same stdio and namespaces, and
 * a stage nobody takes reads EOF when this process exits, and exits too. Best effort: any
 * failure here (not root, say) is met again, and reported, on the normal path.
 */
export async function startStageAhead(level: number, stdio: StdioOptions): Promise<void> {
  try {
    ahead = await spawnStage(level, stdio);
  } catch {
    ahead = undefined;
    return;
  }
  // Until it is taken it must not keep this process alive (an error before the start ends
  // carton), and it goes when carton goes.
  setReferenced(ahead.child, false);
  process.once('exit', () => ahead?.child.kill('SIGKILL'));
}

function setReferenced(child: ChildProcess, on: boolean): void {
  if (on) child.ref();
  else child.unref();
  for (const stream of child.stdio) (stream as (NodeJS.ReadableStream & { ref?(): void; unref?(): void }) | null)?.[on ? 'ref' : 'unref']?.();
}

/** The stage started ahead, if it suits `key` and still waits; otherwise it is ended. */
export function takeAhead(key: string): Stage | undefined {
  const stage = ahead;
  ahead = undefined;
  if (!stage) return undefined;
  if (stage.key === key && stage.child.exitCode === null && stage.child.signalCode === null) {
    setReferenced(stage.child, true);
    return stage;
  }
  stage.child.kill('SIGKILL');
  return undefined;
}

/**
 * A foreground run's first step: boot its stage now, for these stdio settings, at the level
 * CARTON_CHAPTER gives. Best effort: a bad level is reported by the create itself.
 */
export async function bootAhead(io: { tty: boolean; interactive: boolean; logged: boolean }): Promise<void> {
  let level: number;
  try {
    level = chapterLevel();
  } catch {
    return;
  }
  await startStageAhead(level, stageStdio(io.tty, io.interactive || io.tty, { inherit: true, logged: io.logged }));
}
