// The engine: the one module that owns containers. Every front end (the CLI's commands,
// compose, build) creates, starts, signals, pauses, execs in and removes containers through
// these functions and nothing else, as Docker's CLI goes through its daemon's API and
// containerd's through its task service: a front end turns what the user typed into a
// container description (lifecycle.ts's Spec, which the start path turns into an OCI runtime
// spec: container-spec.ts), makes one call here, and renders the answer.
//
// What a request may do to a container in its status is one table (status.ts: OPERATIONS,
// decide); what a status may become is another (TRANSITIONS, moveTo). The chapter features a
// container uses come from one list built from CARTON_CHAPTER (level.ts), read here, so no
// front end passes a chapter level to it.
import type { ContainerRecord } from './state.js';
import { findContainer, listContainers, loadContainer } from './state.js';
import { createRecord, exitStatus, finish, launch, needsRecovery, reconcile, removeContainer, type Spec } from './lifecycle.js';
import { readyToStart, restartContainer, setPaused, signalContainer, stopContainer, updateContainerLimits, waitContainer } from './control.js';
import { chapterLevel } from './level.js';
import { decide } from './status.js';
import { CartonError } from '../sys/index.js';
import type { ExecRequest } from './exec.js';
import type { AttachEnd, AttachOptions } from './attach-client.js';
import type { ContainerSpec } from './container-spec.js';

export type { ContainerRecord, Spec as CreateSpec, ExecRequest };

let hooked: Promise<void> | undefined;

/**
 * The chapters' steps around a container's life (hooks.ts: its cgroups, its network), loaded
 * once per process for the level CARTON_CHAPTER gives, before anything here starts, signals
 * or frees a container. A command that only reads (ps, inspect, logs) never loads them,
 * unless crash recovery has a container to free: they are half of a command's modules.
 */
function ready(): Promise<void> {
  hooked ??= import('./hooks.js').then(({ registerHooks }) => registerHooks(chapterLevel()));
  return hooked;
}

/** Crash recovery (lifecycle.ts), which frees what dead containers held: a command that reads containers calls it once, first. */
export async function recover(): Promise<void> {
  if (!needsRecovery()) return;
  await ready();
  reconcile();
}

/** A container by name, id or unique id prefix; one clear error otherwise. */
export const find = (ref: string): ContainerRecord => findContainer(ref);

/** Every container, Dead ones (unreadable records) included. */
export const list = (): ContainerRecord[] => listContainers();

/** The container as it is now, or undefined once it is removed. */
export const reload = (record: Pick<ContainerRecord, 'id'>): ContainerRecord | undefined => loadContainer(record.id);

/** Create a container (status created): its record and directories; nothing runs yet. */
export const create = (spec: Spec): ContainerRecord => createRecord(spec);

/** Start a created container in the foreground: this process waits, relays signals, records the end; resolves with its status. */
export async function runAttachedHere(record: ContainerRecord): Promise<number> {
  await ready();
  return (await import('./run.js')).runAttached(record, chapterLevel());
}

/** Start it under a monitor of its own (-d); resolves with its id once its program runs. */
export async function runInBackground(record: ContainerRecord): Promise<string> {
  await ready();
  return (await import('./run.js')).runDetached(record, chapterLevel());
}

/** run -it on a terminal: under its monitor, attached at once; the detach keys leave it running (0). */
export async function runOnThisTerminal(record: ContainerRecord, keys: Buffer): Promise<number> {
  await ready();
  return (await import('./run.js')).runOnTerminal(record, chapterLevel(), keys);
}

/**
 * Start a created or stopped container: in the background, or attached (start -a), when its
 * status lets it (status.ts). `started` is false when there was nothing to do (it runs
 * already); `status` is its exit status when attached.
 */
export async function start(record: ContainerRecord, options: { attach?: boolean; interactive?: boolean } = {}): Promise<{ started: boolean; status?: number }> {
  await ready();
  const stopped = readyToStart(record, !!options.interactive);
  if (!stopped) return { started: false };
  const { runAttached, runDetached } = await import('./run.js');
  if (options.attach) return { started: true, status: await runAttached(stopped, chapterLevel()) };
  await runDetached(stopped, chapterLevel());
  return { started: true };
}

/**
 * Run a created container to its end with its output captured (build's RUN steps): resolves
 * with its exit status, its end recorded. The caller removes it.
 */
export async function runToEnd(record: ContainerRecord, output: (stream: 'stdout' | 'stderr', data: Buffer) => void): Promise<number> {
  await ready();
  const running = await launch(record, chapterLevel(), { kind: 'capture', output });
  const status = exitStatus(await running.exited);
  running.close();
  finish(record.id, status);
  return status;
}

/** Send a signal (a name or a number) to its first process. */
export async function kill(record: ContainerRecord, signal: string): Promise<void> {
  await ready(); // a paused container is thawed first (its cgroup's freezer): it handles no signal frozen
  signalContainer(record, signal);
}

/** Its stop signal, then SIGKILL after `timeoutSeconds` (default: its --stop-timeout, or 10); nothing to do if it is stopped. */
export async function stop(record: ContainerRecord, timeoutSeconds?: number): Promise<void> {
  await ready();
  return stopContainer(record, timeoutSeconds);
}

/** Stop, then start in the background. */
export async function restart(record: ContainerRecord, timeoutSeconds?: number): Promise<void> {
  await ready();
  return restartContainer(record, chapterLevel(), timeoutSeconds);
}

/** Freeze every process of it (chapter 04's freezer). */
export async function pause(record: ContainerRecord): Promise<void> {
  await ready();
  return setPaused(record, true);
}

/** Thaw it. */
export async function resume(record: ContainerRecord): Promise<void> {
  await ready();
  return setPaused(record, false);
}

/** Remove it, and what it holds; a running one only when forced (then killed first). */
export async function remove(record: ContainerRecord, options: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
  await ready();
  return removeContainer(record, !!options.force, !!options.volumes);
}

/** Resolves with its exit code once it has exited. */
export const wait = (record: ContainerRecord): Promise<number> => waitContainer(record.id);

/** New cgroup limits (into a running container's cgroups at once) and restart policy. */
export const update = (record: ContainerRecord, limits: Record<string, number | string | undefined>, restart?: ContainerRecord['restart']): Promise<void> => updateContainerLimits(record, limits, restart);

/** Run another process in it (exec.ts); resolves with its status (0 at once with `detach`). */
export async function exec(record: ContainerRecord, request: ExecRequest): Promise<number> {
  decide(record, 'exec');
  if (!record.pid) throw new CartonError(`container ${record.name} is not running`, "start it first; see 'carton ps -a'");
  return (await import('./exec.js')).execProcess(record, request, chapterLevel());
}

/** Attach this process's streams to a detached container, through its monitor. */
export async function attach(record: ContainerRecord, options: AttachOptions): Promise<AttachEnd> {
  decide(record, 'attach');
  if (!record.detached) throw new CartonError(`container ${record.name} runs in the foreground: its streams are on the terminal that started it`);
  return (await import('./attach-client.js')).attachTo(record, options);
}

/** The OCI runtime spec it runs from (config.json, and carton's additions beside it). */
export async function spec(record: ContainerRecord): Promise<ContainerSpec> {
  return (await import('./start.js')).specToShow(record, record.level ?? chapterLevel());
}

/**
 * Files in and out of it (copy.ts): resolved inside its root as its own processes resolve
 * them, running or not; `…Tar` take or give a tar stream (cp's "-").
 */
export const copyIn = async (...args: Parameters<typeof import('./copy.js').copyIn>) => (await import('./copy.js')).copyIn(...args);
export const copyOut = async (...args: Parameters<typeof import('./copy.js').copyOut>) => (await import('./copy.js')).copyOut(...args);
export const copyInFromTar = async (...args: Parameters<typeof import('./copy.js').copyInFromTar>) => (await import('./copy.js')).copyInFromTar(...args);
export const copyOutAsTar = async (...args: Parameters<typeof import('./copy.js').copyOutAsTar>) => (await import('./copy.js')).copyOutAsTar(...args);
