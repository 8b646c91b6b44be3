// Exercise confine, checked in the kernel: a probe confines itself with the implementation under
// test and reports its own /proc/self/status.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { capabilityMask } from '../../solutions/09-security/capabilities.js';
import { firstLine, isRoot, probe } from '../helpers/index.js';

const hostBounding = BigInt('0x' + /^CapBnd:\s*(\w+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
const keep = ['CAP_CHOWN', 'CAP_KILL', 'CAP_NET_BIND_SERVICE', 'CAP_SETUID', 'CAP_SETGID'];

describe.skipIf(!isRoot)('confine (needs root)', () => {
  it('bounding set, no ambient capabilities, no_new_privs and the seccomp filter', async () => {
    const report = JSON.parse(await firstLine(probe('09-confine', ['1', '1', ...keep]))) as Record<string, string>;
    expect(BigInt('0x' + report.CapBnd)).toBe(capabilityMask(keep) & hostBounding);
    expect(report.before).toBe('0000000000000020'); // the probe raised CAP_KILL as ambient
    expect(report.CapAmb).toBe('0000000000000000');
    expect(report.NoNewPrivs).toBe('1');
    expect(report.Seccomp).toBe('2'); // SECCOMP_MODE_FILTER
  });

  it('no filter and no no_new_privs when the config asks for neither', async () => {
    const report = JSON.parse(await firstLine(probe('09-confine', ['0', '0', ...keep]))) as Record<string, string>;
    expect(BigInt('0x' + report.CapBnd)).toBe(capabilityMask(keep) & hostBounding);
    expect(report.NoNewPrivs).toBe('0');
    expect(report.Seccomp).toBe('0');
  });
});
