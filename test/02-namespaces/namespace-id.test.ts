import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { namespaceId } from '@impl/02-namespaces/index.js';

describe('namespaceId', () => {
  it('is the inode of /proc/<pid>/ns/<type>, for every type', () => {
    for (const type of ['mnt', 'uts', 'ipc', 'pid', 'net', 'cgroup', 'user'] as const) {
      expect(namespaceId('self', type)).toBe(statSync(`/proc/self/ns/${type}`).ino);
      expect(namespaceId(process.pid, type)).toBe(statSync(`/proc/${process.pid}/ns/${type}`).ino);
    }
  });

  it('tells different namespace types apart', () => {
    expect(namespaceId('self', 'uts')).not.toBe(namespaceId('self', 'net'));
  });
});
