// Named volumes: directories under <root>/volumes/NAME/_data with a metadata file, and the
// in-use check that keeps `volume rm` from pulling data out from under a container.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../helpers/index.js';
import { Volumes, parseTmpfsSpec } from '@impl/05-overlayfs/index.js';

describe('Volumes', () => {
  let root: string;
  beforeEach(() => (root = tempDir('carton-05-vol-')));
  afterEach(() => removeDir(root));

  it('creates, lists, inspects and removes named volumes', () => {
    const volumes = new Volumes(root);
    const data = volumes.create('data', { labels: { app: 'db' } });
    expect(data.mountpoint).toBe(join(root, 'volumes/data/_data'));
    expect(existsSync(data.mountpoint)).toBe(true);
    expect(volumes.path('data')).toBe(data.mountpoint);
    volumes.create('cache.v2');
    expect(volumes.list().map((v) => v.name)).toEqual(['cache.v2', 'data']);
    expect(volumes.inspect('data').labels).toEqual({ app: 'db' });
    expect(Date.parse(volumes.inspect('data').createdAt)).not.toBeNaN();

    writeFileSync(join(data.mountpoint, 'file'), 'kept');
    volumes.create('data'); // creating again keeps the data, as docker volume create does
    expect(existsSync(join(data.mountpoint, 'file'))).toBe(true);

    volumes.remove('data', () => false);
    expect(volumes.list().map((v) => v.name)).toEqual(['cache.v2']);
    expect(existsSync(join(root, 'volumes/data'))).toBe(false);
  });

  it('refuses to remove a volume in use, naming the container', () => {
    const volumes = new Volumes(root);
    volumes.create('data');
    expect(() => volumes.remove('data', () => 'web1')).toThrow('volume data is in use by container web1');
    expect(volumes.list()).toHaveLength(1);
  });

  it('rejects invalid names and unknown volumes', () => {
    const volumes = new Volumes(root);
    expect(() => volumes.create('../etc')).toThrow(/invalid volume name/);
    expect(() => volumes.create('x')).toThrow(/invalid volume name/);
    expect(() => volumes.create('-x')).toThrow(/invalid volume name/);
    expect(() => volumes.inspect('nope')).toThrow(/no such volume: nope/);
    expect(() => volumes.remove('nope', () => false)).toThrow(/no such volume/);
  });
});

describe('parseTmpfsSpec', () => {
  it('splits the target from the mount options', () => {
    expect(parseTmpfsSpec('/run')).toEqual({ target: '/run', options: '' });
    expect(parseTmpfsSpec('/tmp:size=64m,mode=1777')).toEqual({ target: '/tmp', options: 'size=64m,mode=1777' });
    expect(() => parseTmpfsSpec('run')).toThrow(/absolute/);
  });
});
