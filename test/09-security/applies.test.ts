// Exercise seccomp-applies: which rules of a profile hold for a container.
import { describe, expect, it } from 'vitest';
import { applies, type SeccompRule } from '@impl/09-security/index.js';

const target = { arch: 'amd64', caps: ['CAP_CHOWN', 'CAP_SYS_ADMIN'], kernel: '6.1.0-18-amd64' };
const rule = (extra: Partial<SeccompRule>): SeccompRule => ({ names: ['mount'], action: 'SCMP_ACT_ALLOW', ...extra });

describe('applies', () => {
  it('a rule without conditions applies; empty or null conditions say nothing', () => {
    expect(applies(rule({}), target)).toBe(true);
    expect(applies(rule({ includes: {}, excludes: { caps: null, arches: [] } }), target)).toBe(true);
  });
  it('includes.caps needs every capability it names', () => {
    expect(applies(rule({ includes: { caps: ['CAP_SYS_ADMIN'] } }), target)).toBe(true);
    expect(applies(rule({ includes: { caps: ['CAP_SYS_ADMIN', 'CAP_SYS_TIME'] } }), target)).toBe(false);
    expect(applies(rule({ includes: { caps: ['CAP_SYS_ADMIN'] } }), { ...target, caps: [] })).toBe(false);
  });
  it('includes.arches and includes.minKernel', () => {
    expect(applies(rule({ includes: { arches: ['amd64', 'x32'] } }), target)).toBe(true);
    expect(applies(rule({ includes: { arches: ['arm64'] } }), target)).toBe(false);
    expect(applies(rule({ includes: { minKernel: '4.8' } }), target)).toBe(true);
    expect(applies(rule({ includes: { minKernel: '6.2' } }), target)).toBe(false);
  });
  it('excludes: no capability it names may be held, and not on an architecture it names', () => {
    expect(applies(rule({ excludes: { caps: ['CAP_SYS_ADMIN'] } }), target)).toBe(false);
    expect(applies(rule({ excludes: { caps: ['CAP_SYS_TIME'] } }), target)).toBe(true);
    expect(applies(rule({ excludes: { arches: ['s390', 's390x'] } }), target)).toBe(true);
    expect(applies(rule({ excludes: { arches: ['amd64'] } }), target)).toBe(false);
  });
});
