import { describe, expect, it } from 'vitest';
import { nextFreeAddress } from '@impl/06-networking/index.js';

describe('nextFreeAddress', () => {
  it('starts after the gateway: network + 2', () => {
    expect(nextFreeAddress('10.88.0.0/16', [])).toBe('10.88.0.2');
  });

  it('takes the lowest address not in use, filling holes', () => {
    expect(nextFreeAddress('10.88.0.0/16', ['10.88.0.2', '10.88.0.4'])).toBe('10.88.0.3');
  });

  it('crosses byte boundaries', () => {
    const used = Array.from({ length: 254 }, (_, i) => `10.88.0.${i + 2}`);
    expect(nextFreeAddress('10.88.0.0/16', used)).toBe('10.88.1.0');
  });

  it('works from a subnet written with host bits set', () => {
    expect(nextFreeAddress('172.30.5.77/24', [])).toBe('172.30.5.2');
  });

  it('never hands out the broadcast address, and says when the subnet is full', () => {
    // A /29 has 8 addresses: .0 network, .1 gateway, .2-.6 containers, .7 broadcast.
    const used = ['192.168.7.2', '192.168.7.3', '192.168.7.4', '192.168.7.5'];
    expect(nextFreeAddress('192.168.7.0/29', used)).toBe('192.168.7.6');
    expect(nextFreeAddress('192.168.7.0/29', [...used, '192.168.7.6'])).toBeNull();
    expect(nextFreeAddress('192.168.7.0/30', ['192.168.7.2'])).toBeNull();
  });
});
