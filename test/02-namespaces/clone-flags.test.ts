import { describe, expect, it } from 'vitest';
import { cloneFlags } from '@impl/02-namespaces/index.js';
import * as sys from '../../lib/sys/index.js';

describe('cloneFlags', () => {
  it('ORs the flags of the given namespace types', () => {
    expect(cloneFlags(['uts'])).toBe(sys.CLONE_NEWUTS);
    expect(cloneFlags(['mnt', 'net', 'ipc'])).toBe(sys.CLONE_NEWNS | sys.CLONE_NEWNET | sys.CLONE_NEWIPC);
    expect(cloneFlags([])).toBe(0);
  });

  it('rejects an unknown type with a CartonError', () => {
    expect(() => cloneFlags(['bogus' as never])).toThrow(sys.CartonError);
  });
});
