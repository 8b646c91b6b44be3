// Exercise drop-bounding-set, checked in the kernel: the probe's /proc/self/status CapBnd.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { capabilityMask } from '@impl/09-security/index.js';
import { firstLine, isRoot, probe } from '../helpers/index.js';

const hostBounding = BigInt('0x' + /^CapBnd:\s*(\w+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]);

describe.skipIf(!isRoot)('dropBoundingSet (needs root)', () => {
  it('leaves exactly the capabilities kept in the bounding set', async () => {
    const keep = ['CAP_CHOWN', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'];
    const mask = BigInt('0x' + (await firstLine(probe('09-bounding', keep))));
    expect(mask).toBe(capabilityMask(keep) & hostBounding);
  });
  it('keeps nothing when nothing is named', async () => {
    expect(await firstLine(probe('09-bounding', []))).toBe('0000000000000000');
  });
});
