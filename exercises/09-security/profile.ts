// Chapter 09 — exercise: which rules of a seccomp profile apply to a container.
import { todo } from '../../lib/todo.js';
import { kernelAtLeast, type SeccompRule, type Target } from '../../solutions/09-security/profile.js';
export { parseProfile, kernelAtLeast } from '../../solutions/09-security/profile.js';
export type { SeccompProfile, SeccompRule, SeccompArg, SeccompAction, SeccompOp, Target, Conditions } from '../../solutions/09-security/profile.js';

/**
 * Does `rule` apply to `target`? Read the lesson's section on includes and excludes: each
 * may name capabilities (caps), architectures (arches) and, for includes, a minimum kernel
 * (minKernel; compare with kernelAtLeast). A missing or empty condition says nothing.
 */
export function applies(rule: SeccompRule, target: Target): boolean {
  // TODO: includes must all hold, excludes must all fail
  void kernelAtLeast;
  void rule;
  void target;
  todo('applies', 'exercises/09-security/profile.ts');
}
