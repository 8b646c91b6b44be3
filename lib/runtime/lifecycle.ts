// A container's life, as records in the state store: created → running → exited (→ removed).
// Foreground runs live in the carton process; detached ones in a small monitor process.
// reconcile() is crash recovery: records whose waiter died are marked exited and freed.
import { closeSync, openSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CartonError } from '../sys/index.js';
import { newContainerId } from './ids.js';
import type { Io } from './start.js';
import { runDir } from './paths.js';
import { signalNumber } from './signals.js';
import { sameProcess, startTime } from '../sys/proc.js';
import { removeAnonymousVolumes } from './volumes.js';
import { decide, moveTo } from './status.js';
import { containerEvent } from './events.js';
import { releaseIdmaps } from './userns.js';
import { containerDir, createContainer, deleteContainer, generateName, listContainers, loadContainer, updateContainer, type ContainerRecord } from './state.js';

export type Spec = Pick<ContainerRecord, 'level' | 'image' | 'imageId' | 'exposedPorts' | 'rootfs' | 'layers' | 'mounts' | 'readOnly' | 'limits' | 'network' | 'publish' | 'publishAll' | 'expose' | 'argv' | 'env' | 'cwd' | 'user' | 'tty' | 'interactive' | 'init' | 'autoRemove' | 'detached' | 'restart' | 'security' | 'labels' | 'extraHosts' | 'dns' | 'stopSignal' | 'stopTimeout' | 'healthcheck' | 'networkAliases' | 'networks' | 'ipAddress' | 'log'> & { name?: string; hostname?: string };

export function createRecord(spec: Spec): ContainerRecord {
  const id = newContainerId();
  const { name, hostname, ...rest } = spec;
  const record: ContainerRecord = {
    ...rest, id, name: name ?? generateName(id), hostname: hostname ?? id.slice(0, 12),
    restartCount: 0, created: new Date().toISOString(), status: 'created', oomKilled: false, resources: {},
  };
  createContainer(record);
  containerEvent('create', record);
  return record;
}

/** Docker's rule: the exit code, or 128+N for death by signal N. */
export function exitStatus([code, signal]: [number | null, NodeJS.Signals | null]): number {
  return signal ? 128 + signalNumber(signal) : (code ?? 255);
}

/** Hooks the later chapters add: host-side set-up before exec, and release after exit. */
export interface Hooks {
  onReady?(record: ContainerRecord, pid: number): void | Promise<void>;
  /** Facts to record about how the container ended (e.g. oomKilled), read before release. */
  onExit?(record: ContainerRecord): Partial<ContainerRecord>;
  release?(record: ContainerRecord): void;
  /** Before a signal that must be acted on: a frozen (paused) container handles none. */
  beforeSignal?(record: ContainerRecord): void;
}

export function prepareForSignal(record: ContainerRecord): void {
  for (const h of hooks) h.beforeSignal?.(record);
}

const hooks: Hooks[] = [];
export function addHooks(h: Hooks): void {
  hooks.push(h);
}

/**
 * Free what a container held on the host. Idempotent: crash recovery may call it twice. A hook
 * that fails (a learner's stub among them) does not stop the others; the first error is
 * thrown once they have all run.
 */
export function releaseResources(record: ContainerRecord): void {
  const errors: unknown[] = [];
  for (const h of hooks) {
    try {
      h.release?.(record);
    } catch (error) {
      errors.push(error);
    }
  }
  // Never rm -r over a mount: an idmapped layer left by a killed carton is unmounted first.
  releaseIdmaps(record.id);
  rmSync(runDir(record.id), { recursive: true, force: true });
  if (errors.length) throw errors[0];
}

/** Start a created container; resolves with the running handle once its program runs. */
export async function launch(record: ContainerRecord, level: number, io: Io) {
  updateContainer(record.id, (r) => {
    r.monitorPid = process.pid;
    r.monitorStart = startTime(process.pid);
  });
  try {
    const { startContainer } = await import('./start.js'); // loaded by what starts a container, not by every command that reads one
    const running = await startContainer(record, level, io, async (pid) => {
      for (const h of hooks) await h.onReady?.(record, pid);
    });
    const pid = running.pid;
    updateContainer(record.id, (r) => {
      moveTo(r, 'running');
      r.pid = pid;
      r.pidStart = startTime(pid);
      r.started = new Date().toISOString();
      delete r.exitCode;
      delete r.error;
    });
    containerEvent('start', record);
    return running;
  } catch (error) {
    finish(record.id, (error as { exitCode?: number }).exitCode ?? 125, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

/** The health checks of a running container (health.ts, loaded only for a container that has them). */
export async function healthWatcher(id: string, has: boolean, level: number): Promise<{ stop(): void }> {
  return has ? (await import('./health.js')).watchHealth(id, level) : { stop() {} };
}

/**
 * On a full disk the record cannot take a container's end. Its status is then kept in the
 * name of an empty file beside it (an empty file needs no data block), which the next
 * command's crash recovery records once there is room: the status is never lost to a 255.
 */
export function markExit(id: string, code: number): void {
  closeSync(openSync(join(containerDir(id), `exited-${code}`), 'w'));
}

/** A log write failed and the record could not say so: the errno, in an empty file's name. */
export function markLogError(id: string, code: string): void {
  try {
    closeSync(openSync(join(containerDir(id), `log-failed-${code.replace(/[^A-Z0-9]/g, '')}`), 'w'));
  } catch {
    // not even an inode: the log's own state shows the gap
  }
}

/** The marks markExit and markLogError left beside the record (none once it is recorded). */
function marksOf(id: string): string[] {
  try {
    return readdirSync(containerDir(id)).filter((n) => /^(exited-\d+|log-failed-[A-Z0-9]+)$/.test(n));
  } catch {
    return [];
  }
}

/** The status kept by markExit, if any. */
export function markedExit(id: string): number | undefined {
  const mark = marksOf(id).find((f) => f.startsWith('exited-'));
  return mark === undefined ? undefined : Number(mark.slice(7));
}

/**
 * Record the end of a container, free its resources, and remove it if it asked (--rm).
 * With `restarting`, its monitor is about to start it again (a restart policy).
 */
export function finish(id: string, exitCode: number, error?: string, restarting = false): ContainerRecord {
  const before = loadContainer(id);
  const facts = before ? Object.assign({}, ...hooks.map((h) => h.onExit?.(before) ?? {})) : {};
  const marks = marksOf(id);
  const logFailed = marks.find((m) => m.startsWith('log-failed-'));
  const record = updateContainer(id, (r) => {
    Object.assign(r, facts);
    if (logFailed && !r.logError) r.logError = `writing the log ${join(containerDir(id), 'container.log')}: ${logFailed.slice(11)}; some output was lost`;
    moveTo(r, restarting ? 'restarting' : 'exited');
    if (restarting) r.restartCount += 1;
    r.exitCode = exitCode;
    r.finished = new Date().toISOString();
    if (error) r.error = error;
    delete r.pid;
    delete r.pidStart;
    if (!restarting) {
      // A restarting container keeps its monitor: crash recovery must still see it alive.
      delete r.monitorPid;
      delete r.monitorStart;
    }
  });
  let releaseError: unknown;
  try {
    releaseResources(record);
  } catch (error) {
    releaseError = error; // said once the record is settled: --rm still removes it
  }
  for (const m of marks) rmSync(join(containerDir(id), m), { force: true });
  if (record.oomKilled && !before?.oomKilled) containerEvent('oom', record);
  containerEvent('die', record, { exitCode: String(exitCode) });
  if (record.autoRemove && !restarting) {
    containerEvent('destroy', record);
    deleteContainer(id);
    if (record.mounts.some((m) => m.anonymous)) removeAnonymousVolumes(record); // --rm takes its anonymous volumes too, as Docker's
  }
  if (releaseError !== undefined) throw releaseError;
  return record;
}

/** Remove a container: refuses a running one unless forced (then kills it first); with `volumes`, its anonymous volumes too. */
export async function removeContainer(record: ContainerRecord, force: boolean, volumes = false): Promise<void> {
  if (record.status === 'dead') {
    // Its record cannot be read: free what the host holds for its id, then the directory.
    await (await import('./dead.js')).releaseDead(record);
    (await import('./container-fs.js')).removeStaleViews(record.id);
    deleteContainer(record.id);
    containerEvent('destroy', record);
    return;
  }
  if (decide(record, 'remove') === 'force') {
    if (!force) throw new CartonError(`cannot remove container ${record.name}: it is ${record.status}`, 'stop it first, or use rm -f');
    updateContainer(record.id, (r) => (r.stopRequested = true)); // no restart policy applies any more
    prepareForSignal(record);
    if (record.pid && sameProcess(record.pid, record.pidStart)) process.kill(record.pid, 'SIGKILL');
    await waitUntil(() => loadContainer(record.id)?.status === 'exited' || !loadContainer(record.id), 10_000);
    // And let its monitor finish: when rm returns, nothing of the container runs any more.
    await waitUntil(() => !sameProcess(record.monitorPid, record.monitorStart), 10_000);
  }
  const current = loadContainer(record.id);
  if (current) releaseResources(current);
  (await import('./container-fs.js')).removeStaleViews(record.id); // left by an `export` that was killed (loaded only here: not on every command's start)
  deleteContainer(record.id);
  rmSync(containerDir(record.id), { recursive: true, force: true });
  containerEvent('destroy', record);
  if (volumes) removeAnonymousVolumes(record);
}

export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

/** A container that should be running, or may be, but whose waiter (carton run or its monitor) is gone. */
function orphaned(record: ContainerRecord): boolean {
  if (record.status === 'exited' || record.status === 'dead') return false;
  if (record.monitorPid === undefined && record.status === 'created') return false; // never started
  return !sameProcess(record.monitorPid, record.monitorStart);
}

/** Whether reconcile() has anything to do: most commands then need none of the chapters' hooks loaded. */
export function needsRecovery(): boolean {
  return listContainers().some(orphaned);
}

/**
 * Crash recovery, run by commands that read state: a container whose waiter (carton run or
 * its monitor) is gone will never have its exit recorded. Kill what is left of it, mark it
 * exited (255, as Docker reports an unknown status), and free what it held.
 */
export function reconcile(): void {
  for (const listed of listContainers()) {
    if (!orphaned(listed)) continue;
    // The list is a snapshot: another carton command may have finished or removed the
    // container since (a parallel `rm -f` does both). Decide on the record as it is now, and
    // let a record that vanishes meanwhile go: it is no concern of this command.
    const record = loadContainer(listed.id);
    if (!record || !orphaned(record)) continue;
    if (record.pid && sameProcess(record.pid, record.pidStart)) {
      try {
        process.kill(record.pid, 'SIGKILL'); // PID 1 of its namespace: the kernel kills the rest
      } catch {
        // gone meanwhile
      }
    }
    const marked = markedExit(record.id); // its monitor kept the status, the disk being full
    try {
      finish(record.id, marked ?? 255, marked === undefined ? 'carton (or the container\'s monitor) was killed while the container ran' : undefined);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') continue; // still full: a later command records it
      if (loadContainer(record.id)) throw error; // a real failure, not a record removed meanwhile
    }
  }
}
