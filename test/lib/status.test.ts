// The container status table (lib/runtime/status.ts): the changes a container's life makes
// are allowed, the others are errors that name the container and both statuses.
import { describe, expect, it } from 'vitest';
import { canMove, moveTo, TRANSITIONS } from '../../lib/runtime/status.js';
import type { ContainerRecord, Status } from '../../lib/runtime/state.js';

const record = (status: Status) => ({ name: 'web', status }) as ContainerRecord;

describe('the status table', () => {
  it('allows a container\'s life: create, start, pause, unpause, exit, restart, start again', () => {
    const r = record('created');
    for (const to of ['running', 'paused', 'running', 'restarting', 'running', 'exited', 'running', 'exited'] as Status[]) {
      moveTo(r, to);
      expect(r.status).toBe(to);
    }
    expect(canMove('created', 'exited')).toBe(true); // a start that failed
    expect(canMove('paused', 'exited')).toBe(true); // killed while frozen
  });

  it('refuses what no command may do, naming the container and both statuses; a dead record goes nowhere', () => {
    for (const [from, to] of [['exited', 'paused'], ['created', 'paused'], ['paused', 'restarting'], ['restarting', 'paused'], ['dead', 'running'], ['dead', 'exited']] as Array<[Status, Status]>) {
      const r = record(from);
      expect(() => moveTo(r, to)).toThrow(`container web is ${from}: it cannot become ${to}`);
      expect(r.status).toBe(from);
    }
    expect(TRANSITIONS.dead).toEqual([]);
  });
});
