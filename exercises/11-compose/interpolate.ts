// Chapter 11 — exercise: interpolation, as the Compose Specification defines it.
import { todo } from '../../lib/todo.js';
import { CartonError } from '../../lib/sys/errors.js';
import * as base from '../../solutions/11-compose/interpolate.js';

/**
 * `text` with its variables replaced from `env`: $NAME and ${NAME} (unset: ''); ${NAME:-word}
 * (word when unset or empty) and ${NAME-word} (when unset); ${NAME:+word} (word when set and
 * not empty) and ${NAME+word} (when set); ${NAME:?message} and ${NAME?message} throw a
 * CartonError naming NAME and the message. word and message may hold variables (interpolate
 * them too, and mind nested braces). $$ is a literal $; a $ that starts no name stays. A ${
 * with no } or of another shape throws a CartonError whose message says `interpolation`.
 */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  // TODO: one pass over the text; on "${" find the matching "}" first (count the braces)
  void CartonError;
  void text;
  void env;
  todo('interpolate', 'exercises/11-compose/interpolate.ts');
}

/** Every string of a parsed compose file, with the learner's interpolate. */
export const interpolateTree = (value: unknown, env: Record<string, string | undefined>, path = ''): unknown => base.interpolateTree(value, env, path, interpolate);
