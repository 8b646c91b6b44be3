// IPAM: addresses persist as rows of carton's state database, each allocation one
// transaction, which keeps concurrent `carton run`s (separate processes: carton has no
// daemon) from taking the same address.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ipam, hostsFile } from '@impl/06-networking/index.js';
import { collect, probe, removeDir, stateRows, tempDir } from '../helpers/index.js';

describe('Ipam', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('carton-ipam-')));
  afterEach(() => removeDir(dir));

  it('allocates in order, keeps an owner on its address, reuses released addresses', () => {
    const ipam = new Ipam(dir);
    expect(ipam.allocate('web', '10.90.0.0/24', 'c1')).toBe('10.90.0.2');
    expect(ipam.allocate('web', '10.90.0.0/24', 'c2')).toMatch(/^10\.90\.0\.\d+$/);
    expect(ipam.allocate('web', '10.90.0.0/24', 'c1')).toBe('10.90.0.2');
    ipam.release('web', 'c1');
    expect(new Ipam(dir).allocate('web', '10.90.0.0/24', 'c3')).toBe('10.90.0.2');
    expect(ipam.allocate('db', '10.91.0.0/24', 'c1')).toBe('10.91.0.2');
  });

  it('says when a network is full', () => {
    const ipam = new Ipam(dir);
    ipam.allocate('tiny', '10.92.0.0/30', 'a');
    expect(() => ipam.allocate('tiny', '10.92.0.0/30', 'b')).toThrow(/is full/);
  });

  it('keeps names with addresses, and writes /etc/hosts from them', () => {
    const ipam = new Ipam(dir);
    ipam.allocate('web', '10.90.0.0/24', 'c1', ['api', 'api.web']);
    ipam.allocate('web', '10.90.0.0/24', 'c2', ['db']);
    const hosts = hostsFile(ipam.list('web'));
    expect(hosts.split('\n')).toEqual(expect.arrayContaining(['127.0.0.1\tlocalhost', '10.90.0.2\tapi api.web', '10.90.0.3\tdb']));
  });

  it('keeps each allocation as a row of the state database, and removes it on release', () => {
    const ipam = new Ipam(dir);
    ipam.allocate('web', '10.90.0.0/24', 'c1', ['api']);
    expect(stateRows('SELECT network, owner, address, names FROM allocations', [], dir)).toEqual([{ network: 'web', owner: 'c1', address: '10.90.0.2', names: '["api"]' }]);
    ipam.release('web', 'c1');
    ipam.release('web', 'c1');
    expect(ipam.list('web')).toEqual([]);
    expect(stateRows('SELECT owner FROM allocations', [], dir)).toEqual([]);
  });

  it('allocates and records in one transaction: when what is recorded with the address fails, the address is not taken', () => {
    const seen: string[] = [];
    const failing = new Ipam(dir, (network, owner, address) => {
      seen.push(`${network} ${owner} ${address}`);
      throw new Error('disk full while recording');
    });
    expect(() => failing.allocate('web', '10.90.0.0/24', 'c1')).toThrow(/disk full while recording/);
    expect(seen).toEqual(['web c1 10.90.0.2']);
    expect(new Ipam(dir).list('web')).toEqual([]);
    expect(new Ipam(dir, () => {}).allocate('web', '10.90.0.0/24', 'c2')).toBe('10.90.0.2');
  });

  it('refuses an address asked for that another owner holds, naming it', () => {
    const ipam = new Ipam(dir);
    ipam.allocate('web', '10.90.0.0/24', 'holder');
    expect(() => ipam.allocate('web', '10.90.0.0/24', 'other', [], [], '10.90.0.2')).toThrow(/address 10\.90\.0\.2 is already in use on network web \(by container holder\)/);
    expect(ipam.heldBy('other')).toEqual([]);
    expect(ipam.heldBy('holder')).toEqual([{ network: 'web', address: '10.90.0.2' }]);
  });

  it('gives 20 processes allocating at once (5 addresses each) 100 different addresses', async () => {
    const owners = Array.from({ length: 20 }, (_, i) => `owner${i}`);
    const results = await Promise.all(owners.map((o) => collect(probe('06-ipam', [dir, 'busy', '10.93.0.0/24', o, '5']))));
    for (const r of results) expect(r.stderr).toBe('');
    const addresses = results.flatMap((r) => r.stdout.trim().split('\n'));
    expect(addresses).toHaveLength(100);
    expect(new Set(addresses).size).toBe(100);
    expect(new Ipam(dir).list('busy').map((a) => a.address).sort()).toEqual([...addresses].sort());
  });
});
