import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { natRules, type NetworkConfig } from '@impl/06-networking/index.js';
import { isRoot } from '../helpers/index.js';

const net: NetworkConfig = { name: 'web', bridge: 'cbr7', subnet: '10.99.0.0/16', gateway: '10.99.0.1', table: 'carton_t' };

describe('natRules', () => {
  it('creates the table and a postrouting chain for the bridge, emptied first so it can run twice', () => {
    const lines = natRules(net).trim().split('\n');
    expect(lines[0]).toBe('add table ip carton_t');
    expect(lines).toContain('add chain ip carton_t post-cbr7 { type nat hook postrouting priority srcnat; policy accept; }');
    expect(lines.indexOf('flush chain ip carton_t post-cbr7')).toBeGreaterThan(lines.findIndex((l) => l.startsWith('add chain ip carton_t post-cbr7')));
  });

  it('masquerades the subnet leaving through other interfaces, and 127.0.0.0/8 entering the bridge', () => {
    const script = natRules(net);
    expect(script).toContain('add rule ip carton_t post-cbr7 ip saddr 10.99.0.0/16 oifname != "cbr7" masquerade comment "net:web"');
    expect(script).toContain('add rule ip carton_t post-cbr7 ip saddr 127.0.0.0/8 oifname "cbr7" masquerade comment "net:web"');
  });

  it('creates the nat chains that published ports go into', () => {
    const script = natRules(net);
    expect(script).toContain('add chain ip carton_t prerouting { type nat hook prerouting priority dstnat; policy accept; }');
    expect(script).toContain('add chain ip carton_t output { type nat hook output priority -100; policy accept; }');
  });

  // nft -c parses and checks the script against the kernel without changing anything.
  it.skipIf(!isRoot)('is a script that nft accepts', () => {
    expect(() => execFileSync('nft', ['-c', '-f', '-'], { input: natRules(net), stdio: ['pipe', 'pipe', 'pipe'] })).not.toThrow();
  });
});
