// Exercise resolve-capabilities: Docker's rules for --cap-add, --cap-drop and --privileged.
import { describe, expect, it } from 'vitest';
import { resolveCapabilities, DEFAULT_CAPABILITIES, CAPABILITIES, capabilityMask } from '@impl/09-security/index.js';

describe('resolveCapabilities', () => {
  it('gives Docker\'s default fourteen, which /proc/<pid>/status prints as a80425fb', () => {
    const caps = resolveCapabilities([], []);
    expect(caps).toEqual(DEFAULT_CAPABILITIES);
    expect(capabilityMask(caps).toString(16)).toBe('a80425fb');
  });
  it('drops and adds names written with or without CAP_, in any case, kept in capability order', () => {
    expect(resolveCapabilities(['net_admin', 'CAP_SYS_TIME'], ['MKNOD', 'cap_chown'])).toEqual(
      DEFAULT_CAPABILITIES.filter((c) => c !== 'CAP_MKNOD' && c !== 'CAP_CHOWN').concat(['CAP_NET_ADMIN', 'CAP_SYS_TIME']).sort((a, b) => CAPABILITIES.indexOf(a as never) - CAPABILITIES.indexOf(b as never)),
    );
  });
  it('--cap-drop ALL keeps only what is added; --cap-add ALL and --privileged give every capability', () => {
    expect(resolveCapabilities(['NET_BIND_SERVICE'], ['ALL'])).toEqual(['CAP_NET_BIND_SERVICE']);
    expect(resolveCapabilities([], ['all'])).toEqual([]);
    expect(resolveCapabilities(['ALL'], [])).toEqual([...CAPABILITIES]);
    expect(resolveCapabilities([], ['ALL'], true)).toEqual([...CAPABILITIES]);
  });
  it('refuses a name that is no capability', () => {
    expect(() => resolveCapabilities(['SYS_WIZARD'], [])).toThrow(/CAP_SYS_WIZARD/);
    expect(() => resolveCapabilities([], ['FOO'])).toThrow(/CAP_FOO/);
  });
});
