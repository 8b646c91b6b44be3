import { describe, expect, it } from 'vitest';
import { parseVolumeSpec } from '@impl/05-overlayfs/index.js';

describe('parseVolumeSpec', () => {
  it('parses a bind mount of a host path', () => {
    expect(parseVolumeSpec('/srv/data:/data')).toEqual({ source: '/srv/data', target: '/data', readOnly: false, kind: 'bind' });
    expect(parseVolumeSpec('/etc/app:/etc/app:ro')).toEqual({ source: '/etc/app', target: '/etc/app', readOnly: true, kind: 'bind' });
  });

  it('parses a named volume', () => {
    expect(parseVolumeSpec('pgdata:/var/lib/postgresql')).toEqual({ source: 'pgdata', target: '/var/lib/postgresql', readOnly: false, kind: 'volume' });
    expect(parseVolumeSpec('cache:/cache:rw')).toEqual({ source: 'cache', target: '/cache', readOnly: false, kind: 'volume' });
  });

  it('rejects what Docker rejects', () => {
    expect(() => parseVolumeSpec('/data')).toThrow(/invalid volume specification/);
    expect(() => parseVolumeSpec('data:relative')).toThrow(/absolute/);
    expect(() => parseVolumeSpec('/a:/b:rx')).toThrow(/mode/);
    expect(() => parseVolumeSpec('/a:/b:ro:extra')).toThrow(/invalid volume specification/);
    expect(() => parseVolumeSpec('bad name!:/b')).toThrow(/invalid volume name/);
  });
});
