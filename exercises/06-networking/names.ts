// Chapter 06 — exercise: name a container's veth pair.
import { todo } from '../../lib/todo.js';
export type { VethNames } from '../../solutions/06-networking/names.js';
import type { VethNames } from '../../solutions/06-networking/names.js';

/**
 * The two ends of the container's veth pair: "vc" and "vp" followed by the first 8
 * characters of the container id (interface names have at most 15 characters). An id that
 * is not letters and digits throws a NetworkError whose message says `invalid container id`.
 */
export function vethNames(id: string): VethNames {
  // TODO: id.slice(0, 8), checked with a regular expression, then the two names.
  void id;
  todo('vethNames', 'exercises/06-networking/names.ts');
}
