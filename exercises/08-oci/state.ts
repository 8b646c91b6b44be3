// Chapter 08 — exercise: a container's status, from what the runtime observes.
import { todo } from '../../lib/todo.js';
import * as base from '../../solutions/08-oci/state.js';
import type { State } from '../../solutions/08-oci/spec.js';
export type { Observed } from '../../solutions/08-oci/state.js';

/**
 * The spec's status (plus runc's "paused"): a container whose init is gone is stopped,
 * whatever else is true; a frozen one is paused; one whose init still waits on the exec
 * fifo is created; otherwise it runs.
 */
export function statusOf(observed: base.Observed): State['status'] {
  // TODO: four cases, in the order the doc comment gives them
  void observed;
  todo('statusOf', 'exercises/08-oci/state.ts');
}

export const stateDocument = (id: string, bundle: string, pid: number, observed: base.Observed, annotations?: Record<string, string>): State =>
  base.stateDocument(id, bundle, pid, observed, annotations, statusOf);
