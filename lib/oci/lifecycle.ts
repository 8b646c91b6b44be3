// The OCI runtime's operations after create (runtime.md "Operations", and runc's extras):
// start, state, kill, delete, pause, resume, ps, list. Each reads the record and observes
// the status; none trusts a status written earlier.
import { readdirSync } from 'node:fs';
import { CartonError, q } from '../sys/index.js';
import { sameProcess } from '../sys/proc.js';
import { waitUntil } from '../runtime/lifecycle.js';
import { signalNumber } from '../runtime/signals.js';
import { chapter } from '../impl.js';
import { destroyCgroup, ociCgroup } from './cgroups.js';
import { readBundle } from './create.js';
import { runHooks } from './hooks.js';
import { exists, fifoPath, load, remove, state, status, type OciRecord } from './store.js';

/** Let the init exec: open the fifo it is blocked writing to, read its byte, remove the fifo. */
export async function start(root: string, id: string, warn: (message: string) => void): Promise<void> {
  const record = load(root, id);
  const now = await status(root, record);
  if (now !== 'created') throw new CartonError(`cannot start container ${q(id)}: it is ${now}`, now === 'stopped' ? `delete it: carton oci delete ${id}` : undefined);
  // Chapter 08's releaseInit (the learner's with CARTON_IMPL=exercises) reads the init's byte.
  await (await chapter.oci()).releaseInit(fifoPath(root, id), () => sameProcess(record.pid, record.pidStart));
  const spec = await readBundle(record.bundle).catch(() => undefined);
  runHooks(spec?.hooks, 'poststart', await state(root, record), warn);
}

/** Signal the init (or, with `all`, every process of the container's cgroup). */
export async function kill(root: string, id: string, signal: string, all: boolean): Promise<void> {
  const record = load(root, id);
  const number = parseSignal(signal);
  const now = await status(root, record);
  if (now === 'stopped') throw new CartonError(`container ${q(id)} is not running`);
  if (all) {
    for (const pid of ociCgroup(record.cgroup).pids()) {
      try {
        process.kill(pid, number);
      } catch {
        // gone meanwhile
      }
    }
  } else {
    process.kill(record.pid, number);
  }
}

export function parseSignal(signal: string): number {
  try {
    return signalNumber(signal);
  } catch {
    throw new CartonError(`unknown signal ${q(signal)}`, 'a name such as TERM or SIGKILL, or a number');
  }
}

/** Free the container: refuses one that runs unless forced; then its cgroup, the poststop hooks, the record. */
export async function remove_(root: string, id: string, force: boolean, warn: (message: string) => void): Promise<void> {
  if (!exists(root, id)) {
    if (force) return; // as runc: nothing to delete is not an error with --force
    load(root, id); // throws "does not exist"
  }
  let record: OciRecord;
  try {
    record = load(root, id);
  } catch (error) {
    if (!force) throw error;
    remove(root, id); // a corrupt record: nothing to read, remove what there is
    return;
  }
  const now = await status(root, record);
  if (now !== 'stopped' && !force) throw new CartonError(`cannot delete container ${q(id)} that is not stopped: it is ${now}`, `stop it first, or carton oci delete --force ${id}`);
  destroyCgroup(record.cgroup); // thaws, kills what is left, removes every directory
  await waitUntil(() => !sameProcess(record.pid, record.pidStart), 2000);
  const spec = await readBundle(record.bundle).catch(() => undefined);
  runHooks(spec?.hooks, 'poststop', { ...(await state(root, record)), status: 'stopped' }, warn);
  remove(root, id);
}

export async function pause(root: string, id: string): Promise<void> {
  const record = load(root, id);
  const now = await status(root, record);
  if (now !== 'running' && now !== 'created') throw new CartonError(`cannot pause container ${q(id)}: it is ${now}`);
  const cgroup = ociCgroup(record.cgroup);
  if (!cgroup.freeze) throw new CartonError('pause needs the freezer cgroup, which this machine does not have');
  cgroup.freeze();
}

export async function resume(root: string, id: string): Promise<void> {
  const record = load(root, id);
  const now = await status(root, record);
  if (now !== 'paused') throw new CartonError(`cannot resume container ${q(id)}: it is ${now}, not paused`);
  ociCgroup(record.cgroup).thaw!();
}

export function pids(root: string, id: string): number[] {
  return ociCgroup(load(root, id).cgroup).pids().sort((a, b) => a - b);
}

export function list(root: string): OciRecord[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  return names.filter((n) => exists(root, n)).flatMap((n) => {
    try {
      return [load(root, n)];
    } catch {
      return [];
    }
  });
}
