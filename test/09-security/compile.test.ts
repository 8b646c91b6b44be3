// The seccomp compiler, run through a classic-BPF interpreter (bpf-run.ts): the verdict of
// Docker's default profile for the calls an attacker reaches for, every comparison operator
// on 64-bit arguments, and the errors of a malformed profile. kernel.test.ts loads the same
// programs for real.
import { describe, expect, it } from 'vitest';
import { compileProfile, DEFAULT_PROFILE, DEFAULT_CAPABILITIES, parseProfile, type SeccompProfile } from '@impl/09-security/index.js';
import { X86_64 } from '../../solutions/09-security/syscall-numbers.js';
import { runFilter } from './bpf-run.js';

const AMD64 = 0xc000003e;
const ALLOW = 0x7fff0000;
const EPERM = 0x00050001;
const target = { arch: 'amd64', caps: DEFAULT_CAPABILITIES, kernel: '6.1.0' };
const verdict = (program: Buffer, name: string, args: bigint[] = [], arch = AMD64) => runFilter(program, { nr: X86_64[name], arch, args });

describe('Docker\'s default profile, compiled for x86-64', () => {
  const program = compileProfile(DEFAULT_PROFILE, target);
  it('allows everyday calls and refuses the escapes', () => {
    for (const name of ['read', 'write', 'openat', 'execve', 'mmap', 'futex', 'capset', 'setresuid', 'close_range', 'ptrace']) expect(verdict(program, name), name).toBe(ALLOW);
    for (const name of ['mount', 'umount2', 'unshare', 'setns', 'open_by_handle_at', 'bpf', 'perf_event_open', 'keyctl', 'init_module', 'clock_settime', 'syslog', 'reboot', 'io_uring_setup']) expect(verdict(program, name), name).toBe(EPERM);
  });
  it('clone only without namespace flags; clone3 answers ENOSYS so that libc falls back to clone', () => {
    expect(verdict(program, 'clone', [0x11n])).toBe(ALLOW); // SIGCHLD | ...
    expect(verdict(program, 'clone', [0x10000000n])).toBe(EPERM); // CLONE_NEWUSER
    expect(verdict(program, 'clone3')).toBe(0x00050026);
  });
  it('socket except AF_VSOCK; personality only for the listed values', () => {
    expect(verdict(program, 'socket', [2n])).toBe(ALLOW);
    expect(verdict(program, 'socket', [40n])).toBe(EPERM);
    expect(verdict(program, 'socket', [40n + (1n << 32n)])).toBe(ALLOW); // the high half differs
    expect(verdict(program, 'personality', [0n])).toBe(ALLOW);
    expect(verdict(program, 'personality', [0xffffffffn])).toBe(ALLOW);
    expect(verdict(program, 'personality', [1n])).toBe(EPERM);
  });
  it('another architecture\'s numbers kill the process; x32 calls are refused', () => {
    expect(verdict(program, 'read', [], 0x40000003)).toBe(0x80000000);
    expect(runFilter(program, { nr: 0x40000000 | X86_64.read, arch: AMD64 })).toBe(EPERM);
  });
  it('CAP_SYS_ADMIN widens it (mount, unshare), as Docker\'s includes.caps say', () => {
    const admin = compileProfile(DEFAULT_PROFILE, { ...target, caps: [...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN'] });
    expect(verdict(admin, 'mount')).toBe(ALLOW);
    expect(verdict(admin, 'clone', [0x10000000n])).toBe(ALLOW);
  });
});

describe('argument comparisons on 64-bit values', () => {
  const cases: Array<[string, number, number | undefined, bigint, boolean]> = [
    ['SCMP_CMP_EQ', 5, undefined, 5n, true], ['SCMP_CMP_EQ', 5, undefined, 5n + (1n << 32n), false],
    ['SCMP_CMP_NE', 5, undefined, 6n, true], ['SCMP_CMP_NE', 5, undefined, 5n, false],
    ['SCMP_CMP_GT', 2 ** 33, undefined, 2n ** 33n + 1n, true], ['SCMP_CMP_GT', 2 ** 33, undefined, 2n ** 33n, false], ['SCMP_CMP_GT', 2 ** 33, undefined, 5n, false],
    ['SCMP_CMP_GE', 7, undefined, 7n, true], ['SCMP_CMP_GE', 7, undefined, 6n, false], ['SCMP_CMP_GE', 7, undefined, 1n << 40n, true],
    ['SCMP_CMP_LT', 7, undefined, 6n, true], ['SCMP_CMP_LT', 7, undefined, 7n, false], ['SCMP_CMP_LT', 7, undefined, 1n << 40n, false],
    ['SCMP_CMP_LE', 7, undefined, 7n, true], ['SCMP_CMP_LE', 7, undefined, 8n, false], ['SCMP_CMP_LE', 2 ** 33, undefined, 3n, true],
    ['SCMP_CMP_MASKED_EQ', 0xff, 0x12, 0x3412n, true], ['SCMP_CMP_MASKED_EQ', 0xff, 0x12, 0x3413n, false],
  ];
  for (const [op, value, valueTwo, arg, holds] of cases) {
    it(`${op} ${value}${valueTwo === undefined ? '' : `/${valueTwo}`} with ${arg}: ${holds ? 'allowed' : 'refused'}`, () => {
      const profile: SeccompProfile = { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['write'], action: 'SCMP_ACT_ALLOW', args: [{ index: 2, value, valueTwo, op: op as never }] }] };
      expect(verdict(compileProfile(profile, target), 'write', [0n, 0n, arg])).toBe(holds ? ALLOW : EPERM);
    });
  }
  it('several conditions must all hold, and a failed one falls through to the next rule', () => {
    const profile: SeccompProfile = { defaultAction: 'SCMP_ACT_KILL_PROCESS', syscalls: [
      { names: ['write'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 1, op: 'SCMP_CMP_EQ' }, { index: 2, value: 100, op: 'SCMP_CMP_LT' }] },
      { names: ['write'], action: 'SCMP_ACT_ERRNO', errnoRet: 28 },
    ] };
    const program = compileProfile(profile, target);
    expect(verdict(program, 'write', [1n, 0n, 10n])).toBe(ALLOW);
    expect(verdict(program, 'write', [2n, 0n, 10n])).toBe(0x0005001c);
    expect(verdict(program, 'write', [1n, 0n, 200n])).toBe(0x0005001c);
    expect(verdict(program, 'read')).toBe(0x80000000);
  });
});

describe('parseProfile', () => {
  it('names the field that is wrong', () => {
    expect(() => parseProfile('{', 'p.json')).toThrow(/p.json: not valid JSON/);
    expect(() => parseProfile('{"defaultAction":"SCMP_ACT_NOPE"}', 'p.json')).toThrow(/defaultAction: unknown action/);
    expect(() => parseProfile('{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[{"index":9,"value":1,"op":"SCMP_CMP_EQ"}]}]}', 'p.json')).toThrow(/syscalls\[0\]\.args\[0\]\.index/);
  });
});
