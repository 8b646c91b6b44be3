import { describe, expect, it } from 'vitest';
import { selectPlatform, hostPlatform, type Index } from '@impl/07-images/index.js';

const d = (n: number) => 'sha256:' + String(n).repeat(64).slice(0, 64);
const entry = (n: number, platform?: { os: string; architecture: string; variant?: string }) =>
  ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: d(n), size: 100, ...(platform ? { platform } : {}) });

const index: Index = {
  schemaVersion: 2,
  manifests: [
    entry(1, { os: 'unknown', architecture: 'unknown' }), // an attestation, as BuildKit adds
    entry(2, { os: 'linux', architecture: 'amd64' }),
    entry(3, { os: 'linux', architecture: 'arm', variant: 'v6' }),
    entry(4, { os: 'linux', architecture: 'arm', variant: 'v7' }),
    entry(5, { os: 'linux', architecture: 'arm64', variant: 'v8' }),
    entry(6, { os: 'windows', architecture: 'amd64' }),
    entry(7),
  ],
};

describe('selectPlatform', () => {
  it('matches os and architecture', () => {
    expect(selectPlatform(index, { os: 'linux', architecture: 'amd64' })?.digest).toBe(d(2));
    expect(selectPlatform(index, { os: 'windows', architecture: 'amd64' })?.digest).toBe(d(6));
  });

  it('matches the variant when one is asked for; arm64 means arm64/v8, arm means arm/v7', () => {
    expect(selectPlatform(index, { os: 'linux', architecture: 'arm', variant: 'v6' })?.digest).toBe(d(3));
    expect(selectPlatform(index, { os: 'linux', architecture: 'arm' })?.digest).toBe(d(4));
    expect(selectPlatform(index, { os: 'linux', architecture: 'arm64' })?.digest).toBe(d(5));
    const noVariant: Index = { schemaVersion: 2, manifests: [entry(8, { os: 'linux', architecture: 'arm64' })] };
    expect(selectPlatform(noVariant, { os: 'linux', architecture: 'arm64', variant: 'v8' })?.digest).toBe(d(8));
  });

  it('finds nothing for a platform the index lacks', () => {
    expect(selectPlatform(index, { os: 'linux', architecture: 's390x' })).toBeUndefined();
    expect(selectPlatform(index, { os: 'linux', architecture: 'arm', variant: 'v5' })).toBeUndefined();
  });

  it('picks the host platform by default', () => {
    const host = hostPlatform();
    expect(host.os).toBe('linux');
    const expected = { amd64: d(2), arm64: d(5) }[host.architecture];
    expect(selectPlatform(index)?.digest).toBe(expected ?? undefined);
  });
});
