// Chapter 09 — exercises: the bounding set, and the confinement of the stage before it changes user.
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

/**
 * Confine this process (the stage, still root with every capability of carton's) before it
 * changes to the container's user and execs the program: afterwards its bounding set holds
 * only `config.capabilities` (drop(config.capabilities, lastCap) does that), its ambient set
 * is empty, no execve can ever grant it privileges again when `config.noNewPrivileges`, and
 * the compiled seccomp program `config.seccomp` (base64), if any, filters its system calls
 * and those of everything it runs. Mind what each step needs to be allowed (man 2 seccomp,
 * "EACCES"; man 2 prctl: PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_SET_NO_NEW_PRIVS) and what a
 * filter, once on, applies to. sys.prctl(option, arg) and sys.seccompFilter(program) are
 * the calls; the lesson's "The order" explains it.
 */
export function confine(config: base.SecurityConfig, lastCap: number, drop = dropBoundingSet): void {
  // TODO
  void [config, lastCap, drop];
  todo('confine', 'exercises/09-security/apply.ts');
}
