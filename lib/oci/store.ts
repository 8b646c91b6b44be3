// The OCI runtime's own records, one directory per container under the runtime's root
// (--root, as runc's /run/runc): record.json (what create learnt: the init's pid and start
// time, the bundle, the cgroup) and exec.fifo while the container waits for `start`. The
// status is never stored: it is observed each time (solutions/08-oci/state.ts).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { writeWhole } from '../runtime/write-whole.js';
import { join } from 'node:path';
import { CartonError, q } from '../sys/index.js';
import { sameProcess } from '../sys/proc.js';
import { runRoot } from '../runtime/paths.js';
import { chapter } from '../impl.js';
import type { Observed } from '../../solutions/08-oci/state.js';
import type { State } from '../../solutions/08-oci/spec.js';
import { ociCgroup } from './cgroups.js';

export interface OciRecord {
  id: string;
  pid: number;
  pidStart?: number;
  bundle: string;
  rootfs: string;
  created: string;
  annotations?: Record<string, string>;
  /** linux.cgroupsPath as carton placed it: parent and name under every hierarchy. */
  cgroup: { parent: string; name: string };
}

/** runc's default is /run/runc; carton's is beside its other volatile state. */
export function defaultRoot(): string {
  return join(runRoot(), 'oci');
}

/** Container ids as runc allows them: they name a directory and a cgroup. */
export function checkId(id: string | undefined): string {
  if (!id) throw new CartonError('a container id is required', 'give it as the last argument, as runc takes it');
  if (!/^[\w+.-]+$/.test(id) || id === '.' || id === '..') throw new CartonError(`invalid container id ${q(id)}`, 'use letters, digits, "_", "+", "." and "-"');
  return id;
}

export const containerDir = (root: string, id: string) => join(root, checkId(id));
export const fifoPath = (root: string, id: string) => join(containerDir(root, id), 'exec.fifo');

/** A new, empty directory for `id`; refuses an id in use. */
export function reserve(root: string, id: string): string {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const dir = containerDir(root, id);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new CartonError(`container with id ${q(id)} already exists`, `remove it first: carton oci delete ${id}`);
    throw error;
  }
  return dir;
}

export function save(root: string, record: OciRecord): void {
  writeWhole(join(containerDir(root, record.id), 'record.json'), JSON.stringify(record, null, 2));
}

export function load(root: string, id: string): OciRecord {
  const file = join(containerDir(root, id), 'record.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CartonError(`container ${q(id)} does not exist`, `see the containers of ${root}: carton oci list`);
  }
  try {
    return JSON.parse(text) as OciRecord;
  } catch (error) {
    throw new CartonError(`container ${q(id)}: ${q(file)} is corrupt: ${(error as Error).message}`, `carton oci delete --force ${id} removes it`);
  }
}

export function exists(root: string, id: string): boolean {
  return existsSync(join(containerDir(root, id), 'record.json'));
}

export function remove(root: string, id: string): void {
  rmSync(containerDir(root, id), { recursive: true, force: true });
}

export function observe(root: string, record: OciRecord): Observed {
  const alive = sameProcess(record.pid, record.pidStart);
  let frozen = false;
  if (alive) {
    try {
      frozen = ociCgroup(record.cgroup).frozen();
    } catch {
      // no freezer: never paused
    }
  }
  return { alive, waiting: existsSync(fifoPath(root, record.id)), frozen };
}

/** The status, by chapter 08's statusOf (the learner's, with CARTON_IMPL=exercises). */
export async function status(root: string, record: OciRecord): Promise<State['status']> {
  return (await chapter.oci()).statusOf(observe(root, record));
}

export async function state(root: string, record: OciRecord): Promise<State & { rootfs: string; created: string; owner: string }> {
  const document = (await chapter.oci()).stateDocument(record.id, record.bundle, record.pid, observe(root, record), record.annotations);
  return { ...document, rootfs: record.rootfs, created: record.created, owner: '' };
}
