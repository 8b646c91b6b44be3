import { describe, expect, it } from 'vitest';
import * as sys from '../../lib/sys/index.js';

describe('lib/sys', () => {
  it('prints flags by their C names', () => {
    expect(sys.flagNames(sys.MS_BIND | sys.MS_REC, 'MS_')).toBe('MS_BIND|MS_REC');
    expect(sys.flagNames(sys.CLONE_NEWNS | sys.CLONE_NEWPID, 'CLONE_')).toBe('CLONE_NEWNS|CLONE_NEWPID');
    expect(sys.flagNames(sys.MS_PRIVATE | 0x10000000, 'MS_')).toBe('MS_PRIVATE|0x10000000');
  });

  it('turns a failed call into a SyscallError with errno, its name, the arguments and a hint', () => {
    let error: unknown;
    try {
      sys.mount('/nonexistent-source', '/nonexistent-target', null, sys.MS_BIND | sys.MS_REC);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(sys.SyscallError);
    const e = error as sys.SyscallError;
    expect(e.syscall).toBe('mount');
    expect(e.code).toBe('ENOENT');
    expect(e.errno).toBe(2);
    expect(e.message).toBe('mount `/nonexistent-source` on `/nonexistent-target` (MS_BIND|MS_REC): ENOENT (No such file or directory)');
    expect(e.hint).toMatch(/does not exist/);
  });

  it('hints at root for EPERM', () => {
    const e = new sys.SyscallError('unshare', sys.errnoNumber('EPERM'), 'CLONE_NEWNS');
    expect(e.message).toBe('unshare CLONE_NEWNS: EPERM (Operation not permitted)');
    expect(e.hint).toMatch(/root/);
  });

  it('calls into libc for real', () => {
    expect(sys.getpid()).toBe(process.pid);
    expect(sys.getppid()).toBe(process.ppid);
  });

  it('encodes device numbers as glibc makedev does', () => {
    expect(sys.makedev(1, 3)).toBe(0x103n);
    expect(sys.makedev(136, 0x1234)).toBe(0x1208834n); // minor bits above 8 move up by 12
  });
});
