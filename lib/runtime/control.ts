// Acting on running containers from another carton process: signals, stop with a timeout,
// waiting for the end. The container's PID 1 is a host process whose pid the record holds.
import { CartonError } from '../sys/index.js';
import { sameProcess } from '../sys/proc.js';
import { signalNumber } from './signals.js';
import { loadContainer, updateContainer, type ContainerRecord } from './state.js';
import { markedExit, prepareForSignal, waitUntil } from './lifecycle.js';
import { containerEvent } from './events.js';
import { chapter } from '../impl.js';
import { decide, moveTo } from './status.js';

function requireRunning(record: ContainerRecord): number {
  decide(record, 'kill');
  if (!record.pid || !sameProcess(record.pid, record.pidStart)) throw new CartonError(`container ${record.name} is not running (its process is gone)`);
  return record.pid;
}

export function signalContainer(record: ContainerRecord, signal: string): void {
  const pid = requireRunning(record);
  const number = signalNumber(signal);
  updateContainer(record.id, (r) => (r.stopRequested = true));
  prepareForSignal(record);
  process.kill(pid, number);
  containerEvent('kill', record, { signal: String(number) });
}

const exited = (id: string) => () => {
  const r = loadContainer(id);
  // Or its end is kept in a mark (a full disk) and its monitor is gone.
  return !r || r.status === 'exited' || (markedExit(id) !== undefined && !sameProcess(r.monitorPid, r.monitorStart));
};

/** Stop, as `docker stop` does: its --stop-signal (SIGTERM by default), then SIGKILL after `timeoutSeconds` (default: its --stop-timeout, or 10). */
export async function stopContainer(record: ContainerRecord, timeoutSeconds = record.stopTimeout ?? 10): Promise<void> {
  if (decide(record, 'stop') === 'skip') return; // stopping a stopped container is fine
  if (record.status === 'restarting') {
    updateContainer(record.id, (r) => (r.stopRequested = true)); // its monitor will not restart it
    await waitUntil(exited(record.id), 15_000);
    return;
  }
  signalContainer(record, record.stopSignal ?? 'SIGTERM');
  if (!(await waitUntil(exited(record.id), timeoutSeconds * 1000))) {
    const pid = record.pid!;
    if (sameProcess(pid, record.pidStart)) {
      process.kill(pid, 'SIGKILL');
      containerEvent('kill', record, { signal: '9' });
    }
    if (!(await waitUntil(exited(record.id), 10_000))) throw new CartonError(`container ${record.name} did not stop after SIGKILL`);
  }
  // The record says exited before its waiter has freed what the container held (its veth,
  // rules, address): wait for the waiter too, so that a `stop` then `rm` (or a new start)
  // never races it to free the same things.
  await waitUntil(() => !sameProcess(record.monitorPid, record.monitorStart), 10_000);
  containerEvent('stop', record);
}

/** Resolves with the exit code once the container has exited. */
export async function waitContainer(id: string): Promise<number> {
  await waitUntil(exited(id), Number.MAX_SAFE_INTEGER);
  const r = loadContainer(id);
  return r?.status === 'exited' ? (r.exitCode ?? 0) : (markedExit(id) ?? r?.exitCode ?? 0);
}

/**
 * pause: freeze every process of the container with the freezer (chapter 04); unpause: thaw
 * them. The status moves with it, in the table's order (status.ts).
 */
export async function setPaused(record: ContainerRecord, paused: boolean): Promise<void> {
  const verb = paused ? 'pause' : 'unpause';
  decide(record, verb);
  const cgroup = (await chapter.cgroups()).openCgroups().open(record.id);
  if (!cgroup.freeze || !cgroup.thaw) throw new CartonError(`${verb}: this machine's cgroups have no freezer`, 'see `carton doctor`');
  if (paused) cgroup.freeze();
  else cgroup.thaw();
  updateContainer(record.id, (r) => moveTo(r, paused ? 'paused' : 'running'));
  containerEvent(verb, record);
}

/**
 * Get a stopped container ready to start again (carton start): undefined if it runs already
 * (Docker is quiet then too); a paused one must be unpaused instead.
 */
export function readyToStart(record: ContainerRecord, interactive = false): ContainerRecord | undefined {
  if (decide(record, 'start') === 'skip') return undefined;
  return updateContainer(record.id, (r) => {
    r.stopRequested = false;
    if (interactive) r.interactive = true;
  });
}

/** carton restart (and compose restart): stop it (SIGTERM, then SIGKILL after `timeout` s), then start it detached. */
export async function restartContainer(record: ContainerRecord, level: number, timeout?: number): Promise<void> {
  await stopContainer(record, timeout);
  const ready = readyToStart(loadContainer(record.id) ?? record);
  if (ready) await (await import('./run.js')).runDetached(ready, level); // else started meanwhile by another command
  containerEvent('restart', record);
}

/**
 * carton update: new cgroup limits (written to a running container's cgroups first: the
 * kernel checks them, and a refusal leaves the record as it was) and restart policy.
 */
export async function updateContainerLimits(record: ContainerRecord, limits: Record<string, number | string | undefined>, restart?: ContainerRecord['restart']): Promise<void> {
  if (restart && restart.policy !== 'no' && record.autoRemove) throw new CartonError(`cannot update container ${record.name}: --restart and --rm conflict`);
  const running = (record.status === 'running' || record.status === 'paused') && record.resources.cgroup;
  if (running) (await chapter.cgroups()).openCgroups().open(record.id).update(limits);
  updateContainer(record.id, (r) => {
    r.limits = { ...r.limits, ...limits };
    if (restart) r.restart = restart;
  });
}
