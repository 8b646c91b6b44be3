// Subnet arithmetic used to choose a network's subnet (pickSubnet has its own file: an exercise).
import { describe, expect, it } from 'vitest';
import { contains, gatewayOf, overlaps, parseCidr } from '@impl/06-networking/index.js';

describe('subnets', () => {
  it('finds the gateway and membership', () => {
    expect(gatewayOf('10.88.0.0/16')).toBe('10.88.0.1');
    expect(contains('10.88.0.0/16', '10.88.255.254')).toBe(true);
    expect(contains('10.88.0.0/16', '10.89.0.1')).toBe(false);
  });

  it('detects overlaps, including with host routes and single addresses', () => {
    expect(overlaps('10.88.0.0/16', '10.0.0.0/8')).toBe(true);
    expect(overlaps('10.88.0.0/16', '10.88.3.4')).toBe(true);
    expect(overlaps('10.88.0.0/16', '192.0.2.0/24')).toBe(false);
  });

  it('rejects malformed subnets with a hint', () => {
    for (const bad of ['10.88.0.0', '10.88.0.0/33', '10.88.0/16', '300.1.1.1/16']) {
      expect(() => parseCidr(bad)).toThrow(expect.objectContaining({ hint: expect.any(String) }));
    }
  });
});
