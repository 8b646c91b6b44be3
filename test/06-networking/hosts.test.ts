// Names on a network: each container's /etc/hosts, and how it is rewritten while the
// container runs. A bind mount of a file pins its inode, which the last test shows for real.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostsFile, hostsFor, writeInPlace } from '@impl/06-networking/index.js';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';

const allocations = [
  { owner: 'id-a', address: '10.89.0.2', names: ['web', 'id-a-short'] },
  { owner: 'id-b', address: '10.89.0.3', names: ['db'] },
];

describe('hostsFor', () => {
  it('on a user-defined network: its own line with its host name first, then every other container', () => {
    expect(hostsFor(allocations, 'id-b', 'dbhost', true)).toEqual([
      { address: '10.89.0.3', names: ['dbhost', 'db'] },
      { address: '10.89.0.2', names: ['web', 'id-a-short'] },
    ]);
    expect(hostsFile(hostsFor(allocations, 'id-a', 'web', true))).toBe(
      '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.89.0.2\tweb id-a-short\n10.89.0.3\tdb\n',
    );
  });

  it('on the default bridge network: only its own line (names do not resolve there, as in Docker)', () => {
    expect(hostsFor(allocations, 'id-a', 'h', false)).toEqual([{ address: '10.89.0.2', names: ['h', 'web', 'id-a-short'] }]);
  });
});

describe('writeInPlace', () => {
  const dir = tempDir('carton-hosts-');
  afterAll(() => removeDir(dir));

  it('replaces the contents of an existing file and creates none', () => {
    const file = join(dir, 'hosts');
    writeFileSync(file, 'a much longer old content\n');
    expect(writeInPlace(file, 'new\n')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(writeInPlace(join(dir, 'gone'), 'x')).toBe(false);
    expect(existsSync(join(dir, 'gone'))).toBe(false);
  });

  it.runIf(isRoot)('reaches through a bind mount of the file, where rename-over does not (the mount pins the inode)', () => {
    const source = join(dir, 'source');
    const target = join(dir, 'target');
    writeFileSync(source, 'one\n');
    writeFileSync(target, '');
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    execFileSync('mount', ['--bind', source, target]);
    try {
      // The usual atomic way: a new file renamed over the old name. The host sees it...
      writeFileSync(join(dir, 'tmp', 'next'), 'two\n');
      renameSync(join(dir, 'tmp', 'next'), source);
      expect(readFileSync(source, 'utf8')).toBe('two\n');
      // ...but the mount still shows the old inode, now nameless on the host.
      expect(readFileSync(target, 'utf8')).toBe('one\n');
      execFileSync('umount', [target]);
      execFileSync('mount', ['--bind', source, target]);
      // In place: same inode, so the mount sees the change.
      writeInPlace(source, 'three\n');
      expect(readFileSync(target, 'utf8')).toBe('three\n');
    } finally {
      execFileSync('umount', [target]);
    }
  });
});
