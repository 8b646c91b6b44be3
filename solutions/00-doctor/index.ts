// Chapter 00 — doctor: what this machine offers for containers.
export { runChecks, effectiveCapabilities, describeCgroups, describeSeccomp, describeUserNamespaces, type Check, type Status } from './doctor.js';
export { cgroupLayout, parseCgroupLayout, type CgroupLayout, type CgroupMode } from './cgroup-layout.js';
