// Chapter 09 — security: the public surface the runtime and tests use.
export { CAPABILITIES, DEFAULT_CAPABILITIES, capabilityMask, capabilityNames, capabilityNumber, resolveCapabilities } from './capabilities.js';
export { parseProfile, applies, kernelAtLeast, type SeccompProfile, type SeccompRule, type Target } from './profile.js';
export { compileProfile, encode, actionValue, nativeArch, ARCHES, type Instruction } from './bpf.js';
export { DEFAULT_PROFILE } from './default-profile.js';
export { confine, finalCapabilities, currentBounding, dropBoundingSet, type SecurityConfig } from './apply.js';
export { targetInRoot, requireRealDirectories } from './inroot.js';
export { restrictDevicesV1, DEFAULT_DEVICE_RULES } from './devices.js';
export { deviceProgram, parseDeviceRule, restrictDevicesV2, type DeviceRule } from './device-bpf.js';
export { parseSecurityOpts, securitySpec, securityConfig, type SecuritySpec, type SecurityOptions } from './policy.js';
