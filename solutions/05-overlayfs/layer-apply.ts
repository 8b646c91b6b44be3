// Unpacking a layer tarball into a directory, turning OCI whiteouts back into overlay ones.
// A layer comes from elsewhere (a registry), so this must never write outside `dir`:
// member names are checked, every parent directory is looked at without following
// symlinks, files are created with O_EXCL (which does not follow a symlink either), an
// existing entry is removed before it is replaced (never opened: it may be a symlink, a
// device or a fifo), and hard links must point at something already inside.
import { chmodSync, closeSync, lchownSync, linkSync, lutimesSync, mkdirSync, openSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import * as sys from '../../lib/sys/index.js';
import { openTar, readTar } from './tar-reader.js';
import type { TarEntry } from './tar-header.js';
import { OPAQUE_MARKER, WHITEOUT_PREFIX, lstatOrNull, makeOpaque, makeWhiteout } from './whiteout.js';

const S_IFIFO = 0o010000;

function refuse(member: string, why: string): never {
  throw new sys.CartonError(`apply layer member ${sys.q(member)}: ${why}`, 'the layer is malformed or malicious; nothing outside the target directory was written');
}

// #region safeMemberPath
/** Clean a member name into path components: no absolute paths, no "..". */
export function memberParts(name: string): string[] {
  if (name.includes('\0')) refuse(name, 'NUL byte in name');
  if (name.startsWith('/')) refuse(name, 'absolute path');
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) refuse(name, 'path leaves the layer (..)');
  return parts;
}

/** Make sure every parent of `parts` under `dir` is a real directory (created if missing). */
function safeParent(dir: string, parts: string[], member: string): string {
  let path = dir;
  for (const part of parts.slice(0, -1)) {
    path = join(path, part);
    const stats = lstatOrNull(path);
    if (!stats) mkdirSync(path, { mode: 0o755 });
    else if (stats.isSymbolicLink()) refuse(member, `its parent ${sys.q(part)} is a symlink`);
    else if (!stats.isDirectory()) refuse(member, `its parent ${sys.q(part)} is not a directory`);
  }
  return path;
}

/** The path of an existing entry `parts` under `dir`, reached through real directories only; null if any is missing. */
function insidePath(dir: string, parts: string[]): string | null {
  let path = dir;
  for (const [i, part] of parts.entries()) {
    path = join(path, part);
    const stats = lstatOrNull(path);
    if (!stats || (i < parts.length - 1 && !stats.isDirectory())) return null;
  }
  return path;
}
// #endregion safeMemberPath

async function create(path: string, entry: TarEntry, dir: string, data: () => AsyncGenerator<Buffer>): Promise<void> {
  switch (entry.type) {
    case 'dir': mkdirSync(path, { mode: 0o700 }); break;
    case 'symlink': symlinkSync(entry.linkname, path); break;
    case 'fifo': sys.mknod(path, S_IFIFO | 0o600, 0n); break;
    case 'char': sys.mknod(path, sys.S_IFCHR | 0o600, sys.makedev(entry.devmajor, entry.devminor)); break;
    case 'block': sys.mknod(path, sys.S_IFBLK | 0o600, sys.makedev(entry.devmajor, entry.devminor)); break;
    case 'link': {
      const targetParts = memberParts(entry.linkname);
      if (targetParts.length === 0) refuse(entry.name, 'hard link to the layer root');
      // Found through real directories only; a symlink target is linked as the symlink
      // itself (link(2) does not follow it), and a later member of that name replaces it.
      const target = insidePath(dir, targetParts);
      if (!target) refuse(entry.name, `hard link target ${sys.q(entry.linkname)} is not in the layer`);
      if (lstatOrNull(target)?.isDirectory()) refuse(entry.name, `hard link to a directory ${sys.q(entry.linkname)}`);
      linkSync(target, path);
      return;
    }
    case 'file': {
      const fd = openSync(path, 'wx', 0o600); // O_CREAT|O_EXCL: never through a symlink
      try {
        for await (const chunk of data()) sys.writeAll(fd, chunk); // a short write is not the end
      } finally {
        closeSync(fd);
      }
      break;
    }
  }
  lchownSync(path, entry.uid, entry.gid);
  if (entry.type !== 'symlink') chmodSync(path, entry.mode);
  for (const [name, value] of Object.entries(entry.xattrs)) {
    // overlayfs's own xattrs (opaque, redirect, metacopy) would steer lookups into other
    // layers: a layer says "opaque" with its marker file, and nothing else. user.overlay.*
    // are the same xattrs for an overlay mounted in a user namespace (userxattr).
    if (!name.startsWith('trusted.overlay.') && !name.startsWith('user.overlay.')) sys.lsetxattr(path, name, value);
  }
}

// #region applyLayer
/** Unpack the layer at `tarPath` (tar or tar.gz) into `dir`. */
export async function applyLayer(tarPath: string, dir: string): Promise<void> {
  const stream = await openTar(tarPath);
  try {
    await applyLayerFrom(stream, dir);
  } finally {
    stream.destroy();
  }
}

/**
 * Unpack the tar that `stream` carries (already decompressed) into `dir`; with `drain`, read
 * the stream to its end (for a caller that hashes it as it passes: a layer's diff_id).
 */
export async function applyLayerFrom(stream: Readable, dir: string, drain = false): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const dirTimes: Array<[string[], number]> = [];
  await readTar(stream, (entry, data) => applyEntry(dir, entry, data, dirTimes).catch((e: unknown) => {
    if (e instanceof sys.CartonError) throw e;
    throw new sys.CartonError(`apply layer member ${sys.q(entry.name)}: ${(e as Error).message}`);
  }), drain);
  // Directory times last: creating their contents changed them. A later member may have
  // replaced a parent by a symlink, so each path is walked again, not trusted.
  for (const [parts, mtime] of dirTimes.reverse()) {
    const path = insidePath(dir, parts);
    if (path && lstatOrNull(path)?.isDirectory()) lutimesSync(path, mtime, mtime);
  }
}

/** One member: a whiteout, an opaque marker, or an entry to create or replace. */
async function applyEntry(dir: string, entry: TarEntry, data: () => AsyncGenerator<Buffer>, dirTimes: Array<[string[], number]>): Promise<void> {
  const parts = memberParts(entry.name);
  if (parts.length === 0) return; // "./": the layer's root is `dir` itself
  const parent = safeParent(dir, parts, entry.name);
  const name = parts.at(-1)!;
  if (name === OPAQUE_MARKER) return makeOpaque(parent);
  if (name.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) return; // aufs bookkeeping (.wh..wh.plnk): no file of the image
  if (name.startsWith(WHITEOUT_PREFIX)) {
    // ".wh.." would name the parent directory: a whiteout must name an entry in it.
    const target = name.slice(WHITEOUT_PREFIX.length);
    if (target === '' || target === '.' || target === '..') refuse(entry.name, 'whiteout of no file');
    const hidden = join(parent, target);
    rmSync(hidden, { recursive: true, force: true });
    return makeWhiteout(hidden);
  }
  const path = join(parent, name);
  const existing = lstatOrNull(path);
  // A directory over a directory merges; anything else replaces what was there.
  if (existing && !(existing.isDirectory() && entry.type === 'dir')) rmSync(path, { recursive: true, force: true });
  if (existing?.isDirectory() && entry.type === 'dir') {
    lchownSync(path, entry.uid, entry.gid);
    chmodSync(path, entry.mode);
  } else {
    await create(path, entry, dir, data);
  }
  if (entry.type === 'dir') dirTimes.push([parts, entry.mtime]);
  else lutimesSync(path, entry.mtime, entry.mtime);
}
// #endregion applyLayer
