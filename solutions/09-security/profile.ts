// Chapter 09 — seccomp profiles in Docker's JSON format (docs.docker.com "Seccomp security
// profiles"): a default action, and rules naming system calls with an action, optional
// argument conditions, and conditions on the container (includes/excludes: capabilities it
// holds, architectures, a minimum kernel). This module reads and checks a profile and picks
// the rules that apply to one container; bpf.ts compiles them.
import { CartonError } from '../../lib/sys/errors.js';

export type SeccompAction = 'SCMP_ACT_ALLOW' | 'SCMP_ACT_ERRNO' | 'SCMP_ACT_KILL' | 'SCMP_ACT_KILL_THREAD' | 'SCMP_ACT_KILL_PROCESS' | 'SCMP_ACT_TRAP' | 'SCMP_ACT_LOG' | 'SCMP_ACT_TRACE';
export type SeccompOp = 'SCMP_CMP_NE' | 'SCMP_CMP_LT' | 'SCMP_CMP_LE' | 'SCMP_CMP_EQ' | 'SCMP_CMP_GE' | 'SCMP_CMP_GT' | 'SCMP_CMP_MASKED_EQ';

export interface SeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: SeccompOp;
}

export interface Conditions {
  caps?: string[] | null;
  arches?: string[] | null;
  minKernel?: string | null;
}

export interface SeccompRule {
  names: string[];
  action: SeccompAction;
  errnoRet?: number;
  args?: SeccompArg[] | null;
  includes?: Conditions | null;
  excludes?: Conditions | null;
  comment?: string;
}

export interface SeccompProfile {
  defaultAction: SeccompAction;
  defaultErrnoRet?: number;
  architectures?: string[] | null;
  archMap?: Array<{ architecture: string; subArchitectures: string[] | null }> | null;
  syscalls?: SeccompRule[] | null;
}

/** What a container is, as far as a profile's conditions go. */
export interface Target {
  /** Docker's (Go's) name for the architecture: amd64, arm64. */
  arch: string;
  /** The capabilities the container holds, with CAP_. */
  caps: string[];
  /** The running kernel, e.g. "6.1.0". */
  kernel: string;
}

const ACTIONS = ['SCMP_ACT_ALLOW', 'SCMP_ACT_ERRNO', 'SCMP_ACT_KILL', 'SCMP_ACT_KILL_THREAD', 'SCMP_ACT_KILL_PROCESS', 'SCMP_ACT_TRAP', 'SCMP_ACT_LOG', 'SCMP_ACT_TRACE'];
const OPS = ['SCMP_CMP_NE', 'SCMP_CMP_LT', 'SCMP_CMP_LE', 'SCMP_CMP_EQ', 'SCMP_CMP_GE', 'SCMP_CMP_GT', 'SCMP_CMP_MASKED_EQ'];

/** Parse and check a profile's JSON text; `source` names it in errors (a file, or "default"). */
export function parseProfile(text: string, source: string): SeccompProfile {
  let profile: SeccompProfile;
  try {
    profile = JSON.parse(text) as SeccompProfile;
  } catch (error) {
    throw new CartonError(`seccomp profile ${source}: not valid JSON: ${(error as Error).message}`);
  }
  const bad = (where: string, what: string) => new CartonError(`seccomp profile ${source}: ${where}: ${what}`, 'see https://docs.docker.com/engine/security/seccomp/ for the format');
  if (typeof profile !== 'object' || profile === null || Array.isArray(profile)) throw bad('top level', 'expected an object');
  if (!ACTIONS.includes(profile.defaultAction)) throw bad('defaultAction', `unknown action ${JSON.stringify(profile.defaultAction)}`);
  (profile.syscalls ?? []).forEach((rule, i) => {
    const at = `syscalls[${i}]`;
    if (!Array.isArray(rule.names) || rule.names.some((n) => typeof n !== 'string')) throw bad(`${at}.names`, 'expected a list of system call names');
    if (!ACTIONS.includes(rule.action)) throw bad(`${at}.action`, `unknown action ${JSON.stringify(rule.action)}`);
    (rule.args ?? []).forEach((arg, j) => {
      if (!Number.isInteger(arg.index) || arg.index < 0 || arg.index > 5) throw bad(`${at}.args[${j}].index`, 'expected 0 to 5');
      if (!OPS.includes(arg.op)) throw bad(`${at}.args[${j}].op`, `unknown operator ${JSON.stringify(arg.op)}`);
      if (typeof arg.value !== 'number') throw bad(`${at}.args[${j}].value`, 'expected a number');
    });
  });
  return profile;
}

/** "6.1.0-18-amd64" ≥ "4.8"? */
export function kernelAtLeast(kernel: string, min: string): boolean {
  const a = kernel.split(/[.-]/).map((p) => parseInt(p, 10) || 0);
  const b = min.split('.').map((p) => parseInt(p, 10) || 0);
  for (let i = 0; i < b.length; i++) if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > b[i];
  return true;
}

// #region applies
/**
 * Does a rule apply to this container? `includes` must all hold: every capability it names
 * is held, the architecture is one it names, the kernel is at least minKernel. `excludes`
 * must all fail: no capability it names is held, the architecture is not one it names.
 * (Docker's rule: the default profile allows mount, unshare and setns only with SYS_ADMIN.)
 */
export function applies(rule: SeccompRule, target: Target): boolean {
  const inc = rule.includes ?? {};
  const exc = rule.excludes ?? {};
  if (inc.caps?.length && !inc.caps.every((c) => target.caps.includes(c))) return false;
  if (inc.arches?.length && !inc.arches.includes(target.arch)) return false;
  if (inc.minKernel && !kernelAtLeast(target.kernel, inc.minKernel)) return false;
  if (exc.caps?.length && exc.caps.some((c) => target.caps.includes(c))) return false;
  if (exc.arches?.length && exc.arches.includes(target.arch)) return false;
  return true;
}
// #endregion applies
