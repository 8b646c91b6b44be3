import { closeSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeviceNodes } from '@impl/03-filesystem/index.js';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';

const expected: Array<[string, number, number]> = [['null', 1, 3], ['zero', 1, 5], ['full', 1, 7], ['random', 1, 8], ['urandom', 1, 9], ['tty', 5, 0]];

describe.skipIf(!isRoot)('createDeviceNodes (needs root)', () => {
  let dev: string;
  beforeEach(() => (dev = tempDir()));
  afterEach(() => removeDir(dev));

  it('creates each character device with its major:minor and mode 0666', () => {
    createDeviceNodes(dev);
    for (const [name, major, minor] of expected) {
      const st = statSync(join(dev, name));
      expect(st.isCharacterDevice(), name).toBe(true);
      expect([Math.floor(st.rdev / 256) & 0xfff, st.rdev & 0xff], name).toEqual([major, minor]);
      expect(st.mode & 0o777, name).toBe(0o666);
    }
  });

  it('makes working devices: null swallows, zero gives zeros', () => {
    createDeviceNodes(dev);
    writeFileSync(join(dev, 'null'), 'gone');
    const fd = openSync(join(dev, 'zero'), 'r');
    const buffer = Buffer.alloc(4, 7);
    readSync(fd, buffer, 0, 4, null);
    closeSync(fd);
    expect([...buffer]).toEqual([0, 0, 0, 0]);
  });
});
