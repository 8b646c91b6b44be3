// The tar side of image archives. Writing: a few members (directories, files from the
// store, small JSON documents) with chapter 05's header encoder. Reading: an archive comes
// from elsewhere, so its members are never written by their own names; each regular file
// is spilled to a numbered file of ours while it is hashed, and looked up by name later.
import { createReadStream, createWriteStream, mkdirSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { posix, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CartonError, q } from '../../lib/sys/index.js';
import { encodeHeader, padding, type TarEntry } from '../05-overlayfs/tar-header.js';
import { readTar } from '../05-overlayfs/tar-reader.js';
import { decompressed } from '../05-overlayfs/tar-compress.js';
import { Hasher } from './digest.js';
import type { Digest } from './types.js';

const base: Omit<TarEntry, 'name' | 'type' | 'size'> = { mode: 0o644, uid: 0, gid: 0, mtime: 0, linkname: '', devmajor: 0, devminor: 0, xattrs: {} };

export class TarWriter {
  constructor(private out: Writable) {}

  private async write(data: Buffer): Promise<void> {
    if (!this.out.write(data)) await once(this.out, 'drain');
  }

  async dir(name: string): Promise<void> {
    await this.write(encodeHeader({ ...base, name: name.endsWith('/') ? name : `${name}/`, type: 'dir', mode: 0o755, size: 0 }));
  }

  async buffer(name: string, data: Buffer | string): Promise<void> {
    const bytes = Buffer.from(data);
    await this.write(encodeHeader({ ...base, name, type: 'file', size: bytes.length }));
    await this.write(bytes);
    await this.write(padding(bytes.length));
  }

  /** A member whose data is the file at `path` (a store blob: it does not change). */
  async file(name: string, path: string): Promise<void> {
    const size = statSync(path).size;
    await this.write(encodeHeader({ ...base, name, type: 'file', size }));
    let sent = 0;
    for await (const chunk of createReadStream(path)) {
      await this.write(chunk as Buffer);
      sent += (chunk as Buffer).length;
    }
    if (sent !== size) throw new CartonError(`save ${q(path)}: the file changed size while being written`);
    await this.write(padding(size));
  }

  /** The two zero blocks that end an archive. */
  async end(): Promise<void> {
    await this.write(Buffer.alloc(1024));
  }
}

/** One regular file of an archive, spilled to `path`, with the digest of its bytes. */
export interface Member {
  path: string;
  size: number;
  digest: Digest;
}

function refuse(name: string, why: string): never {
  throw new CartonError(`load archive member ${q(name)}: ${why}`, 'the archive is malformed or malicious; nothing was loaded');
}

/** A member name as a clean relative path: "./blobs//sha256/x" → "blobs/sha256/x". */
export function cleanName(name: string): string {
  if (name.includes('\0')) refuse(name, 'NUL byte in name');
  if (name.startsWith('/')) refuse(name, 'absolute path');
  const clean = posix.normalize(name).replace(/\/+$/, '');
  if (clean === '..' || clean.startsWith('../') || name.split('/').includes('..')) refuse(name, 'path leaves the archive (..)');
  return clean === '.' ? '' : clean;
}

/**
 * Read the tar stream `input` (plain, gzip or zstd) into `dir`: every regular file becomes
 * `dir/<n>`; symlinks and hard links between members become aliases. Returns the members
 * by their clean names.
 */
export async function spillArchive(input: Readable, dir: string): Promise<Map<string, Member>> {
  mkdirSync(dir, { recursive: true });
  const members = new Map<string, Member>();
  const aliases = new Map<string, string>();
  let count = 0;
  await readTar(await decompressed(input), async (entry, data) => {
    const name = cleanName(entry.name);
    if (entry.type === 'dir') return;
    if (entry.type === 'symlink' || entry.type === 'link') {
      // A symlink is relative to its directory, a hard link to the archive's root.
      const target = entry.type === 'symlink' ? posix.join(posix.dirname(name), entry.linkname) : entry.linkname;
      aliases.set(name, cleanName(target));
      return;
    }
    if (entry.type !== 'file') refuse(entry.name, `unexpected ${entry.type} member in an image archive`);
    const path = join(dir, String(count++));
    const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    const hasher = new Hasher();
    try {
      for await (const chunk of data()) {
        hasher.update(chunk);
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await finished(out);
    } catch (e) {
      out.destroy();
      throw e;
    }
    members.set(name, { path, size: hasher.size, digest: hasher.digest() });
    aliases.delete(name);
  });
  for (const [name] of aliases) {
    let target = name;
    for (let hops = 0; aliases.has(target); hops++) {
      if (hops > 16) refuse(name, 'too many levels of links');
      target = aliases.get(target)!;
    }
    const member = members.get(target);
    if (member) members.set(name, member);
  }
  return members;
}
