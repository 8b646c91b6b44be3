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
