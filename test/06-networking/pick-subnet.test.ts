// Exercise pick-subnet: a subnet for a new network, clear of the host's routes and of the
// other carton networks (the default bridge network and `carton network create` use it).
import { describe, expect, it } from 'vitest';
import { NetworkError, overlaps, pickSubnet } from '@impl/06-networking/index.js';

describe('pickSubnet', () => {
  it('keeps the preferred subnet when nothing overlaps it; "default" is not a subnet', () => {
    expect(pickSubnet(['default', '192.0.2.0/24'])).toBe('10.88.0.0/16');
    expect(pickSubnet([])).toBe('10.88.0.0/16');
    expect(pickSubnet(['default'], '10.89.0.0/16')).toBe('10.89.0.0/16');
  });

  it('skips every 10.N.0.0/16 that overlaps a route, a smaller subnet or a single address', () => {
    expect(pickSubnet(['default', '10.88.4.0/22', '10.89.0.0/16'])).toBe('10.90.0.0/16');
    expect(pickSubnet(['10.88.0.0/16', '10.89.7.9', '10.90.128.0/17'])).toBe('10.91.0.0/16');
  });

  it('searches from 10.89 upwards when the preferred subnet is taken, whatever it is', () => {
    expect(pickSubnet(['10.89.0.0/16', '172.20.0.0/16'], '172.20.0.0/16')).toBe('10.90.0.0/16');
    // Other networks' subnets count like routes: a new network avoids them all.
    const taken = ['10.88.0.0/16', '10.89.0.0/16', '10.90.0.0/24'];
    const picked = pickSubnet(taken, '10.89.0.0/16');
    expect(picked).toBe('10.91.0.0/16');
    expect(taken.some((t) => overlaps(picked, t))).toBe(false);
  });

  it('says so, with a hint, when 10.88 to 10.255 are all taken', () => {
    expect(() => pickSubnet(['10.0.0.0/8'])).toThrow(NetworkError);
    expect(() => pickSubnet(['10.0.0.0/8'])).toThrow(expect.objectContaining({ hint: expect.stringContaining('--subnet') }));
  });
});
