// COPY's destination rules (the Dockerfile reference, "COPY"): a relative destination is
// relative to WORKDIR; a directory source has its *contents* copied; a file goes to
// DEST/name when DEST ends with "/" or is a directory, else it becomes DEST; several sources
// need a DEST that ends with "/"; missing directories are made (0755). Files keep their mode
// and modification time and belong to root, or to --chown; --chmod sets the mode of all.
//
// Every entry is written by put-in-root.ts: inside the image's root, never through a symlink
// onto the host.
import { lstatSync } from 'node:fs';
import { posix } from 'node:path';
import { CartonError, q } from '../sys/index.js';
import type { chapter } from '../impl.js';
import type { Entry, Source } from './sources.js';
import { putDirectory, putEntry } from '../runtime/put-in-root.js';

type Security = Awaited<ReturnType<typeof chapter.security>>;

export interface WriteOptions {
  uid: number;
  gid: number;
  chmod?: number;
  workdir: string;
}

function isDir(root: string, path: string, security: Security): boolean {
  try {
    const at = security.targetInRoot(root, posix.dirname(path), 'dir');
    try {
      return lstatSync(`${at.path}/${posix.basename(path)}`).isDirectory();
    } finally {
      at.close();
    }
  } catch {
    return false;
  }
}

/** Write `sources` into the filesystem mounted at `root`, at `dest` (as written in the Dockerfile). */
export function writeSources(root: string, sources: Source[], dest: string, options: WriteOptions, security: Security, manyNamed: boolean): void {
  const absolute = posix.resolve(options.workdir, dest);
  const intoDir = dest.endsWith('/') || dest.endsWith('/.') || dest === '.';
  if ((manyNamed || sources.length > 1) && !intoDir) {
    throw new CartonError(`when copying more than one source, the destination must be a directory ending with "/", not ${q(dest)}`);
  }
  for (const source of sources) {
    const top = source.entries[0];
    let base: string;
    if (source.isDir) base = absolute;
    else if (intoDir || isDir(root, absolute, security)) base = posix.join(absolute, posix.basename(top.path));
    else base = absolute;
    for (const entry of source.entries) {
      if (source.isDir && entry.rel === '') {
        ensureDir(root, base, security, options); // the contents go in; the destination keeps its own mode
        continue;
      }
      writeEntry(root, posix.join(base, entry.rel), entry, options, security);
    }
  }
}

function ensureDir(root: string, path: string, security: Security, options: WriteOptions, entry?: Entry): void {
  putDirectory(security, root, path, entry && { mode: options.chmod ?? entry.mode, uid: options.uid, gid: options.gid });
}

function writeEntry(root: string, path: string, entry: Entry, options: WriteOptions, security: Security): void {
  if (entry.type === 'dir') return ensureDir(root, path, security, options, entry);
  const owner = { mode: options.chmod ?? entry.mode, uid: options.uid, gid: options.gid, atime: entry.mtime, mtime: entry.mtime };
  putEntry(security, root, path, entry.type === 'symlink' ? { link: entry.link! } : { from: entry.path }, owner, true);
}
