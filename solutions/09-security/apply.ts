// Chapter 09 — the last steps of the stage before execve, in the order the kernel needs:
//   1. the bounding set: drop every capability the container must never hold, even through
//      a setuid-root binary or file capabilities (needs CAP_SETPCAP, which we still have);
//   2. no_new_privs, when asked: execve may never again grant privileges (setuid bits and
//      file capabilities are ignored from then on);
//   3. the seccomp filter, while we still hold CAP_SYS_ADMIN (without it, or no_new_privs,
//      the kernel refuses to install one). From here on the profile applies to us too;
//   4. the user (-u): setgroups, setresgid, setresuid (the stage does these, with the caps
//      it still has in its effective set);
//   5. the capability sets of the program: root keeps the container's set as permitted and
//      effective; a non-root user had them cleared by setresuid, and starts with none;
//   6. every file descriptor above 2 close-on-exec: nothing of carton's crosses execve.
import { readFileSync } from 'node:fs';
import * as sys from '../../lib/sys/index.js';
import { capabilityMask, capabilityNumber } from './capabilities.js';

export interface SecurityConfig {
  /** The capabilities the container keeps (names with CAP_), in its bounding set and as root's. */
  capabilities: string[];
  noNewPrivileges: boolean;
  /** The compiled seccomp program (base64), or undefined for unconfined. */
  seccomp?: string;
}

// #region dropBoundingSet
/** Remove from the bounding set every capability this kernel has that `keep` does not name. */
export function dropBoundingSet(keep: string[], lastCap = sys.capLastCap()): void {
  const kept = new Set(keep.map(capabilityNumber));
  for (let cap = 0; cap <= lastCap; cap++) if (!kept.has(cap)) sys.dropBounding(cap);
}
// #endregion dropBoundingSet

/** This process's bounding set, from /proc/self/status (CapBnd, hexadecimal). */
export function currentBounding(status = readFileSync('/proc/self/status', 'utf8')): bigint {
  const match = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status);
  return match ? BigInt('0x' + match[1]) : ~0n;
}

// #region confine
/** Steps 1–3: before the stage changes user. `lastCap` is read before pivot_root. */
export function confine(config: SecurityConfig, lastCap: number, drop = dropBoundingSet): void {
  drop(config.capabilities, lastCap);
  sys.prctl(sys.PR_CAP_AMBIENT, sys.PR_CAP_AMBIENT_CLEAR_ALL);
  if (config.noNewPrivileges) sys.prctl(sys.PR_SET_NO_NEW_PRIVS, 1);
  if (config.seccomp) sys.seccompFilter(Buffer.from(config.seccomp, 'base64'));
}
// #endregion confine

/**
 * Steps 5–6: after the user change, right before execve. `bounding` is the set carton itself
 * was started with: a container (even --privileged) can hold no more than that.
 */
export function finalCapabilities(config: SecurityConfig, uid: number, bounding = ~0n): void {
  // Docker sets no inheritable capabilities (CVE-2022-24769: inheritable ones could reach a
  // program through its file capabilities even for a non-root user).
  const mask = uid === 0 ? capabilityMask(config.capabilities) & bounding : 0n;
  sys.capset({ effective: mask, permitted: mask, inheritable: 0n });
  sys.cloexecRange(3);
}
