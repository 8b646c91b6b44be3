// Chapter 09 — security, the learner's version: three exercises, the rest from solutions/,
// wired so that the container's capabilities and seccomp filter come from the learner's code.
import * as base from '../../solutions/09-security/index.js';
import { resolveCapabilities } from './capabilities.js';
import { applies } from './profile.js';

export { CAPABILITIES, DEFAULT_CAPABILITIES, capabilityMask, capabilityNames, capabilityNumber, resolveCapabilities } from './capabilities.js';
export { parseProfile, applies, kernelAtLeast, type SeccompProfile, type SeccompRule, type Target } from './profile.js';
export { confine, finalCapabilities, currentBounding, dropBoundingSet, type SecurityConfig } from './apply.js';
export { encode, actionValue, nativeArch, ARCHES, DEFAULT_PROFILE, targetInRoot, requireRealDirectories, restrictDevicesV1, restrictDevicesV2, deviceProgram, parseDeviceRule, DEFAULT_DEVICE_RULES, parseSecurityOpts, securitySpec } from '../../solutions/09-security/index.js';
export type { Instruction, SecuritySpec, SecurityOptions, DeviceRule } from '../../solutions/09-security/index.js';

export const compileProfile = (profile: base.SeccompProfile, target: base.Target): Buffer => base.compileProfile(profile, target, applies);
export const securityConfig = (spec: base.SecuritySpec, cacheDir: string): base.SecurityConfig => base.securityConfig(spec, cacheDir, { resolveCapabilities, applies });
