// Acting on running containers from another carton process: signals, stop with a timeout,
// waiting for the end. The container's PID 1 is a host process whose pid the record holds.
import { CartonError } from '../sys/index.js';
import { sameProcess } from '../sys/proc.js';
import { signalNumber } from './signals.js';
import { loadContainer, updateContainer, type ContainerRecord } from './state.js';
import { markedExit, prepareForSignal, waitUntil } from './lifecycle.js';
import { containerEvent } from './events.js';

function requireRunning(record: ContainerRecord): number {
  if (record.status !== 'running' && record.status !== 'paused') throw new CartonError(`container ${record.name} is not running`);
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

/** SIGTERM, then SIGKILL after `timeoutSeconds`, as `docker stop` does. */
/** Stop: its --stop-signal (SIGTERM by default), then SIGKILL after `timeoutSeconds` (default: its --stop-timeout, or 10). */
export async function stopContainer(record: ContainerRecord, timeoutSeconds = record.stopTimeout ?? 10): Promise<void> {
  if (record.status === 'restarting') {
    updateContainer(record.id, (r) => (r.stopRequested = true)); // its monitor will not restart it
    await waitUntil(exited(record.id), 15_000);
    return;
  }
  if (record.status !== 'running' && record.status !== 'paused') return; // stopping a stopped container is fine
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
