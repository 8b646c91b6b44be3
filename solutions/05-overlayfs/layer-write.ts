// An upper directory as an OCI layer tarball: the container's changes, with overlay's
// whiteouts rewritten in OCI's spelling (a `.wh.` file, a `.wh..wh..opq` marker).
import { closeSync, createWriteStream, lstatSync, openSync, readSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { join } from 'node:path';
import * as sys from '../../lib/sys/index.js';
import { encodeHeader, padding, type TarEntry } from './tar-header.js';
import { OPAQUE_MARKER, isOpaque, isWhiteout, ociWhiteoutName } from './whiteout.js';

// glibc's encoding of dev_t (see makedev in lib/sys), taken apart again.
const major = (rdev: number) => (Math.floor(rdev / 2 ** 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
const minor = (rdev: number) => (rdev & 0xff) | (Math.floor(rdev / 2 ** 12) & ~0xff);

/** The xattrs a layer keeps: all but overlayfs's own bookkeeping. */
export function layerXattrs(path: string): Record<string, Buffer> {
  const xattrs: Record<string, Buffer> = {};
  for (const name of sys.llistxattr(path)) {
    if (name.startsWith('trusted.overlay.') || name.startsWith('user.overlay.')) continue; // user.*: an overlay in a user namespace
    const value = sys.lgetxattr(path, name);
    if (value) xattrs[name] = value;
  }
  return xattrs;
}

/**
 * Chapter 09's --userns=private: a container's own files belong on the host to its range
 * (uid 0 inside is `uid` outside). Archived, they are written as the container sees them.
 */
export interface HostRange {
  uid: number;
  gid: number;
  size: number;
}
const inside = (id: number, base: number | undefined, size: number): number => (base !== undefined && id >= base && id < base + size ? id - base : id);

function entryOf(name: string, stats: Stats, path: string, range?: HostRange): TarEntry {
  const type = stats.isDirectory() ? 'dir' : stats.isSymbolicLink() ? 'symlink' : stats.isCharacterDevice() ? 'char'
    : stats.isBlockDevice() ? 'block' : stats.isFIFO() ? 'fifo' : 'file';
  const device = type === 'char' || type === 'block';
  return {
    name: type === 'dir' ? name + '/' : name,
    type,
    mode: stats.mode & 0o7777,
    uid: inside(stats.uid, range?.uid, range?.size ?? 0),
    gid: inside(stats.gid, range?.gid, range?.size ?? 0),
    size: type === 'file' ? stats.size : 0,
    mtime: Math.floor(stats.mtimeMs / 1000),
    linkname: type === 'symlink' ? readlinkSync(path) : '',
    devmajor: device ? major(stats.rdev) : 0,
    devminor: device ? minor(stats.rdev) : 0,
    xattrs: layerXattrs(path),
  };
}

async function write(out: Writable, data: Buffer): Promise<void> {
  if (!out.write(data)) await once(out, 'drain');
}

async function writeFileData(out: Writable, path: string, size: number): Promise<void> {
  const fd = openSync(path, 'r');
  try {
    let left = size;
    while (left > 0) {
      const chunk = Buffer.alloc(Math.min(left, 1 << 20));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) throw new sys.CartonError(`read ${sys.q(path)}: the file shrank while being archived`);
      await write(out, chunk.subarray(0, n));
      left -= n;
    }
  } finally {
    closeSync(fd);
  }
  await write(out, padding(size));
}

// #region upperToLayer
/**
 * Write the tree under `root` to `out` as a tar stream (not ending `out`). With `layer`,
 * overlay whiteouts and opaque directories become OCI's `.wh.` files and markers (an upper
 * directory as a layer); without it the tree is archived as it is (`carton export`).
 * Sockets are skipped: tar has no type for them.
 */
export async function writeTree(root: string, out: Writable, options: { layer: boolean; range?: HostRange }): Promise<void> {
  const seen = new Map<string, string>(); // "dev:ino" → first name, for hard links
  const walk = async (rel: string): Promise<void> => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const member = rel ? `${rel}/${name}` : name;
      const path = join(root, member);
      const stats = lstatSync(path);
      if (stats.isSocket()) continue;
      if (options.layer && isWhiteout(stats)) {
        // A deleted file or directory: an empty regular file named .wh.<name>.
        await write(out, encodeHeader({ ...entryOf(ociWhiteoutName(member), stats, path, options.range), type: 'file', mode: 0o644, devmajor: 0, devminor: 0 }));
        continue;
      }
      const entry = entryOf(member, stats, path, options.range);
      const key = `${stats.dev}:${stats.ino}`;
      if (!stats.isDirectory() && stats.nlink > 1 && seen.has(key)) {
        await write(out, encodeHeader({ ...entry, type: 'link', size: 0, linkname: seen.get(key)! }));
        continue;
      }
      seen.set(key, member);
      await write(out, encodeHeader(entry));
      if (entry.type === 'file') await writeFileData(out, path, entry.size);
      if (stats.isDirectory()) {
        // An opaque directory hides the lower layers' contents: say so with the marker.
        if (options.layer && isOpaque(path)) await write(out, encodeHeader({ ...entry, name: `${member}/${OPAQUE_MARKER}`, type: 'file', mode: 0o644, xattrs: {} }));
        await walk(member);
      }
    }
  };
  await walk('');
  await write(out, Buffer.alloc(1024)); // two zero blocks end the archive
}

/** Write the upper directory `upper` as a layer tarball (gzip-compressed if `tarPath` ends .gz). */
export async function upperToLayer(upper: string, tarPath: string): Promise<void> {
  const file = createWriteStream(tarPath);
  const gzip = tarPath.endsWith('.gz') ? createGzip() : null;
  if (gzip) gzip.pipe(file);
  const out: Writable = gzip ?? file;
  try {
    await writeTree(upper, out, { layer: true });
  } finally {
    out.end();
    await finished(file);
  }
}
// #endregion upperToLayer
