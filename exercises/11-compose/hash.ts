// Chapter 11 — exercise: the canonical JSON behind the config hash.
import { todo } from '../../lib/todo.js';
import * as base from '../../solutions/11-compose/hash.js';

/**
 * JSON.stringify's text of `value`, except that every object's keys come sorted (by code
 * unit, as JavaScript's < compares strings) at every depth, and members whose value is
 * undefined are left out (an undefined in an array is null, as JSON.stringify writes it).
 */
export function canonicalJson(value: unknown): string {
  // TODO: recurse: arrays keep their order, objects sort their entries, the rest is JSON.stringify
  void value;
  todo('canonicalJson', 'exercises/11-compose/hash.ts');
}

/** The sha256 of the canonical JSON, with the learner's canonicalJson. */
export const configHash = (service: unknown): string => base.configHash(service, canonicalJson);
