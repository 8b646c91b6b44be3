// Shared fixtures for chapter 05 tests: a lower directory with a few files, and a
// recursive description of a tree (type, mode, owner, link target, device, opaque flag,
// content) to compare two trees by.
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as sys from '../../lib/sys/index.js';

export function makeLower(dir: string): void {
  mkdirSync(join(dir, 'etc/conf.d'), { recursive: true });
  writeFileSync(join(dir, 'etc/hostname'), 'lower\n');
  writeFileSync(join(dir, 'etc/conf.d/a'), 'a\n');
  writeFileSync(join(dir, 'etc/conf.d/b'), 'b\n');
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin/tool'), '#!/bin/sh\n', { mode: 0o755 });
}

export function describeTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const child = rel ? `${rel}/${name}` : name;
      const path = join(root, child);
      const s = lstatSync(path);
      let what = `${(s.mode & 0o170000).toString(8)} ${(s.mode & 0o7777).toString(8)} ${s.uid}:${s.gid}`;
      if (s.isSymbolicLink()) what += ` -> ${readlinkSync(path)}`;
      else if (s.isFile()) what += ` ${readFileSync(path, 'utf8')} mtime=${Math.floor(s.mtimeMs / 1000)}`;
      else if (s.isCharacterDevice() || s.isBlockDevice()) what += ` rdev=${s.rdev}`;
      else if (s.isDirectory()) what += ` opaque=${sys.lgetxattr(path, 'trusted.overlay.opaque')?.toString() ?? '-'}`;
      out[child] = what;
      if (s.isDirectory()) walk(child);
    }
  };
  walk('');
  return out;
}

/** A minimal ustar member, written here rather than by the code under test: for crafted archives. */
export function tarMember(name: string, opts: { type?: string; linkname?: string; data?: string; mode?: number } = {}): Buffer {
  const data = Buffer.from(opts.data ?? '');
  const header = Buffer.alloc(512);
  header.write(name, 0, 100);
  header.write((opts.mode ?? 0o644).toString(8).padStart(7, '0'), 100);
  header.write('0000000', 108);
  header.write('0000000', 116);
  header.write(data.length.toString(8).padStart(11, '0'), 124);
  header.write('00000000000', 136);
  header.fill(0x20, 148, 156);
  header.write(opts.type ?? '0', 156);
  header.write(opts.linkname ?? '', 157, 100);
  header.write('ustar\x0000', 257, 'latin1');
  let sum = 0;
  for (const b of header) sum += b;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return Buffer.concat([header, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

export function tarOf(...members: Buffer[]): Buffer {
  return Buffer.concat([...members, Buffer.alloc(1024)]);
}
