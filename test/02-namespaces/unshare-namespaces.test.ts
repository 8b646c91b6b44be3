import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { unshareNamespaces } from '@impl/02-namespaces/index.js';
import { firstLine, isRoot, probe } from '../helpers/index.js';

const ino = (pid: number | string, type: string) => statSync(`/proc/${pid}/ns/${type}`).ino;

describe.skipIf(!isRoot)('unshareNamespaces (needs root)', () => {
  it('moves the process into new namespaces of exactly the given types', async () => {
    const child = probe('02-unshare', ['uts', 'ipc', 'net', 'mnt']);
    try {
      await firstLine(child);
      for (const type of ['uts', 'ipc', 'net', 'mnt']) expect(ino(child.pid!, type), type).not.toBe(ino('self', type));
      for (const type of ['pid', 'user', 'cgroup']) expect(ino(child.pid!, type), type).toBe(ino('self', type));
    } finally {
      child.stdin?.end();
      child.kill('SIGKILL');
    }
  });

  it('refuses pid and user namespaces, which Node cannot enter this way', () => {
    expect(() => unshareNamespaces(['pid'])).toThrow(/pid and user/);
    expect(() => unshareNamespaces(['user'])).toThrow(/pid and user/);
  });
});
