// Chapter 10 — exercise: which stages a build needs, designed by you.
import { todo } from '../../lib/todo.js';
import type { StageRef } from '../../solutions/10-build/stages.js';

export type { StageRef } from '../../solutions/10-build/stages.js';

/**
 * The indices, ascending (the order they are built in), of the stages `carton build` must
 * run to build `target`: the target itself, and every stage it needs, directly or through
 * another — a stage is needed when a needed stage's FROM or one of its COPY --from= names
 * it, by its name (names are compared without regard to case) or by its index. Only an
 * earlier stage can be named so: a name that no earlier stage has is an image (`FROM
 * alpine`, `COPY --from=nginx:1`). Every other stage is skipped, as BuildKit skips it.
 */
export function neededStages(stages: StageRef[], target: StageRef): number[] {
  // TODO
  void [stages, target];
  return todo('neededStages', 'exercises/10-build/stages.ts');
}
