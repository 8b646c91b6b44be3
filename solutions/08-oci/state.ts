// Chapter 08 — the state of a container, as `state` prints it and hooks read it (runtime.md).
// The runtime keeps a record of its own (the init's pid and start time, the bundle); the
// status is not stored but read off the kernel each time, as runc does: a record cannot
// know that a process died or was frozen since it was written.
import type { State } from './spec.js';

export interface Observed {
  /** Is the init process still the one that was started (not dead, not a zombie, not a reused pid)? */
  alive: boolean;
  /** Does the exec fifo still exist: the init waits for `start`? */
  waiting: boolean;
  /** Is the container's cgroup frozen? */
  frozen: boolean;
}

// #region statusOf
/** The status the spec defines (plus runc's paused) from what was observed. */
export function statusOf(observed: Observed): State['status'] {
  if (!observed.alive) return 'stopped';
  if (observed.frozen) return 'paused';
  return observed.waiting ? 'created' : 'running';
}
// #endregion statusOf

/** The state document: the pid only while there is a process to name. */
export function stateDocument(id: string, bundle: string, pid: number, observed: Observed, annotations?: Record<string, string>, status_ = statusOf): State {
  const status = status_(observed);
  return {
    ociVersion: '1.0.2',
    id,
    status,
    ...(status === 'stopped' ? {} : { pid }),
    bundle,
    ...(annotations && Object.keys(annotations).length ? { annotations } : {}),
  };
}
