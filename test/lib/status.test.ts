// The container status table (lib/runtime/status.ts): the changes a container's life makes
// are allowed, the others are errors that name the container and both statuses.
import { describe, expect, it } from 'vitest';
import { canMove, decide, moveTo, OPERATIONS, TRANSITIONS, type Operation } from '../../lib/runtime/status.js';
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

describe('the operations table', () => {
  const statuses: Status[] = ['created', 'running', 'paused', 'restarting', 'exited', 'dead'];
  const verdicts = (op: Operation) => statuses.map((s) => {
    try {
      return decide(record(s), op);
    } catch (error) {
      return (error as Error).message;
    }
  });

  it('has a verdict for every operation in every status', () => {
    for (const row of Object.values(OPERATIONS)) expect(Object.keys(row).sort()).toEqual([...statuses].sort());
  });

  it("acts, skips or refuses as Docker does: stop and start of a container with nothing to do succeed, rm of a live one needs -f", () => {
    expect(verdicts('stop')).toEqual(['skip', 'act', 'act', 'act', 'skip', 'skip']);
    expect(verdicts('start')).toEqual(['act', 'skip', 'container web is paused', 'skip', 'act', 'container web is dead (its record cannot be read)']);
    expect(verdicts('remove')).toEqual(['act', 'force', 'force', 'force', 'act', 'act']);
    expect(verdicts('kill')).toEqual(['container web is not running', 'act', 'act', 'container web is not running', 'container web is not running', 'container web is not running']);
    expect(verdicts('pause')).toEqual(['container web is not running', 'act', 'container web is already paused', 'container web is not running', 'container web is not running', 'container web is not running']);
    expect(verdicts('unpause').map((v) => v === 'act')).toEqual([false, false, true, false, false, false]);
    expect(verdicts('exec')).toEqual(['container web is not running', 'act', 'container web is paused', 'container web is not running', 'container web is not running', 'container web is not running']);
    expect(verdicts('attach').map((v) => v === 'act')).toEqual([false, true, true, false, false, false]);
  });

  it("a refusal names what to do instead, with the container's name", () => {
    expect(() => decide(record('paused'), 'exec')).toThrow(expect.objectContaining({ hint: 'unpause it first: carton unpause web' }));
    expect(() => decide(record('exited'), 'attach')).toThrow(expect.objectContaining({ message: 'You cannot attach to a stopped container, start it first', hint: 'carton start web' }));
  });
});
