// IPAM: addresses persist per network in a JSON file, under a lock that keeps concurrent
// `carton run`s (separate processes: carton has no daemon) from taking the same address.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ipam, hostsFile } from '@impl/06-networking/index.js';
import { collect, probe, removeDir, tempDir } from '../helpers/index.js';

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

  it('leaves no file once the last address is released', () => {
    const ipam = new Ipam(dir);
    ipam.allocate('web', '10.90.0.0/24', 'c1');
    ipam.release('web', 'c1');
    ipam.release('web', 'c1');
    expect(ipam.list('web')).toEqual([]);
    expect(existsSync(join(dir, 'web.json'))).toBe(false);
    expect(existsSync(join(dir, 'web.lock'))).toBe(false);
  });

  it('breaks a lock left behind by a process that died', () => {
    writeFileSync(join(dir, 'web.lock'), '999999999 1');
    expect(new Ipam(dir).allocate('web', '10.90.0.0/24', 'c1')).toBe('10.90.0.2');
  });

  it('breaks at once a lock that names nobody: an empty file, and an older carton\'s directory lock, with or without its pid', () => {
    const ipam = new Ipam(dir);
    writeFileSync(join(dir, 'web.lock'), ''); // a writer killed between create and write
    expect(ipam.allocate('web', '10.90.0.0/24', 'c2')).toMatch(/^10\.90\.0\.\d+$/);
    mkdirSync(join(dir, 'web.lock')); // mkdir done, killed before the pid was written
    expect(ipam.allocate('web', '10.90.0.0/24', 'c3')).toMatch(/^10\.90\.0\.\d+$/);
    mkdirSync(join(dir, 'web.lock'));
    writeFileSync(join(dir, 'web.lock', 'pid'), '999999999');
    expect(ipam.allocate('web', '10.90.0.0/24', 'c4')).toMatch(/^10\.90\.0\.\d+$/);
    expect(existsSync(join(dir, 'web.lock'))).toBe(false);
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
