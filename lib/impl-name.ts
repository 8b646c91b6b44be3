// The implementation switch: CARTON_IMPL=exercises runs the learner's code (exercises/),
// anything else unset runs the reference solutions (solutions/). Used by the tests
// (vitest.config.ts), the CLI and the container stage alike.
export type ImplName = 'solutions' | 'exercises';

export function implName(value: string | undefined): ImplName {
  if (value === undefined || value === '' || value === 'solutions') return 'solutions';
  if (value === 'exercises') return 'exercises';
  throw new Error(`CARTON_IMPL must be "solutions" or "exercises", not "${value}"`);
}
