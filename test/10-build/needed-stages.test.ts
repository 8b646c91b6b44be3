// neededStages: which stages a build runs (chapter 10's exercise), by behaviour.
import { describe, expect, it } from 'vitest';
import { neededStages, type StageRef } from '@impl/10-build/index.js';

const stage = (index: number, base: string, name?: string, copyFrom: string[] = []): StageRef => ({ index, base, name, copyFrom });

describe('neededStages', () => {
  it('needs only the target when it names no earlier stage', () => {
    const stages = [stage(0, 'alpine', 'a'), stage(1, 'busybox')];
    expect(neededStages(stages, stages[1])).toEqual([1]);
  });

  it('follows FROM and COPY --from, by name (any case) or index, transitively, in build order', () => {
    const stages = [
      stage(0, 'alpine', 'deps'),
      stage(1, 'DEPS', 'build'), // FROM an earlier stage, named in capitals
      stage(2, 'alpine', 'unused'),
      stage(3, 'busybox', 'test', ['build']),
      stage(4, 'scratch', undefined, ['Build', '0']),
    ];
    expect(neededStages(stages, stages[4])).toEqual([0, 1, 4]);
    expect(neededStages(stages, stages[3])).toEqual([0, 1, 3]);
    expect(neededStages(stages, stages[2])).toEqual([2]);
  });

  it('takes a name no earlier stage has for an image, even when a later stage has it', () => {
    const stages = [stage(0, 'later', 'first', ['later']), stage(1, 'alpine', 'later')];
    expect(neededStages(stages, stages[0])).toEqual([0]);
    expect(neededStages(stages, stages[1])).toEqual([1]);
  });

  it('counts a stage once, however many stages need it', () => {
    const stages = [stage(0, 'alpine', 'base'), stage(1, 'base', 'x'), stage(2, 'base', 'y', ['x', 'base', '1'])];
    expect(neededStages(stages, stages[2])).toEqual([0, 1, 2]);
  });
});
