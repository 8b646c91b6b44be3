// Chapter 09 — exercise: the bounding set.
import { todo } from '../../lib/todo.js';
import * as sys from '../../lib/sys/index.js';
import * as base from '../../solutions/09-security/apply.js';
import { capabilityNumber } from '../../solutions/09-security/capabilities.js';
export { finalCapabilities, currentBounding, type SecurityConfig } from '../../solutions/09-security/apply.js';

/**
 * Remove from the calling thread's bounding set every capability from 0 to `lastCap` that
 * `keep` does not name. sys.dropBounding(n) is prctl(PR_CAPBSET_DROP, n); capabilityNumber
 * turns a name into its number. (lastCap is /proc/sys/kernel/cap_last_cap.)
 */
export function dropBoundingSet(keep: string[], lastCap = 40): void {
  // TODO: one sys.dropBounding per capability not kept
  void sys.dropBounding;
  void capabilityNumber;
  void keep;
  void lastCap;
  todo('dropBoundingSet', 'exercises/09-security/apply.ts');
}

export const confine = (config: base.SecurityConfig, lastCap: number): void => base.confine(config, lastCap, dropBoundingSet);
