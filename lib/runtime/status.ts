// The life of a container as one table: which status may follow which. Every status change
// goes through moveTo(), inside the transaction that writes the record, so a change the
// table does not allow (unpausing an exited container, starting a dead one) is an error
// where it is attempted, never a record in a state no command expects.
//
//   created ──► running ◄──► paused          restarting: its monitor is about to start it
//      │         │  ▲  │                     again (a --restart policy); dead: its record
//      │         ▼  │  ▼                     cannot be read (rm -f frees what it held).
//      └──────► exited ◄── restarting
import { CartonError } from '../sys/index.js';
import type { ContainerRecord, Status } from './state.js';

export const TRANSITIONS: Record<Status, readonly Status[]> = {
  created: ['running', 'exited'], // exited: its start failed (125, 126, 127)
  running: ['paused', 'exited', 'restarting'],
  paused: ['running', 'exited'],
  restarting: ['running', 'exited'],
  exited: ['running', 'exited'], // running: carton start; exited: its end recorded again (crash recovery racing the waiter)
  dead: [],
};

export function canMove(from: Status, to: Status): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Change the record's status, if the table allows it. */
export function moveTo(record: ContainerRecord, to: Status): void {
  if (!canMove(record.status, to)) throw new CartonError(`container ${record.name} is ${record.status}: it cannot become ${to}`, `see 'carton ps -a'`);
  record.status = to;
}

/** What a front end asks of a container (the engine's verbs that depend on its status). */
export type Operation = 'start' | 'stop' | 'kill' | 'pause' | 'unpause' | 'exec' | 'attach' | 'remove';

/**
 * 'act': do it. 'skip': there is nothing to do, and that is no error (Docker's habit: stopping
 * a stopped container, starting a running one, succeed quietly). 'force': only when forced
 * (rm -f of a running container). Otherwise why it is refused, and what to do instead, in
 * Docker's words where Docker has them; NAME stands for the container's name.
 */
export type Verdict = 'act' | 'skip' | 'force' | { refused: string; hint?: string };

const notRunning: Verdict = { refused: 'container NAME is not running', hint: "start it first; see 'carton ps -a'" };
const paused: Verdict = { refused: 'container NAME is paused', hint: 'unpause it first: carton unpause NAME' };
const dead: Verdict = { refused: 'container NAME is dead (its record cannot be read)', hint: 'remove it: carton rm -f NAME' };
const notPaused: Verdict = { refused: 'container NAME is not paused' };
const stopped: Verdict = { refused: 'You cannot attach to a stopped container, start it first', hint: 'carton start NAME' };

/** The table every front end's request goes through (decide()): one row per operation, one column per status. */
export const OPERATIONS: Record<Operation, Record<Status, Verdict>> = {
  start: { created: 'act', exited: 'act', running: 'skip', restarting: 'skip', paused, dead },
  stop: { created: 'skip', exited: 'skip', running: 'act', paused: 'act', restarting: 'act', dead: 'skip' },
  kill: { created: notRunning, exited: notRunning, running: 'act', paused: 'act', restarting: notRunning, dead: notRunning },
  pause: { created: notRunning, exited: notRunning, running: 'act', paused: { refused: 'container NAME is already paused' }, restarting: notRunning, dead: notRunning },
  unpause: { created: notPaused, exited: notPaused, running: notPaused, paused: 'act', restarting: notPaused, dead: notPaused },
  exec: { created: notRunning, exited: notRunning, running: 'act', paused, restarting: notRunning, dead: notRunning },
  attach: { created: stopped, exited: stopped, running: 'act', paused: 'act', restarting: stopped, dead: stopped },
  remove: { created: 'act', exited: 'act', dead: 'act', running: 'force', paused: 'force', restarting: 'force' },
};

/** The table's verdict on `operation` for this container: throws a refusal, as one clear error naming it. */
export function decide(record: Pick<ContainerRecord, 'name' | 'status'>, operation: Operation): 'act' | 'skip' | 'force' {
  const verdict = OPERATIONS[operation][record.status];
  if (typeof verdict === 'string') return verdict;
  const name = (text: string) => text.replaceAll('NAME', record.name);
  throw new CartonError(name(verdict.refused), verdict.hint && name(verdict.hint));
}
