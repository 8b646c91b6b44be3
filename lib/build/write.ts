// COPY's destination rules (the Dockerfile reference, "COPY"): a relative destination is
// relative to WORKDIR; a directory source has its *contents* copied; a file goes to
// DEST/name when DEST ends with "/" or is a directory, else it becomes DEST; several sources
// need a DEST that ends with "/"; missing directories are made (0755). Files keep their mode
// and modification time and belong to root, or to --chown; --chmod sets the mode of all.
//
// Every directory is reached inside the image's root with openat2(RESOLVE_IN_ROOT) (chapter
// 09's targetInRoot): a symlink the image holds is followed as the container would follow
// it, never onto the host. An entry that is in the way is removed first, so that no write
// follows a symlink either.
import { chmodSync, chownSync, copyFileSync, lchownSync, lstatSync, lutimesSync, rmSync, symlinkSync } from 'node:fs';
import { posix } from 'node:path';
import { CartonError, q } from '../sys/index.js';
import type { chapter } from '../impl.js';
import type { Entry, Source } from './sources.js';

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
  const at = security.targetInRoot(root, path, 'dir'); // creates what is missing, inside the root
  try {
    // at.path is /proc/self/fd/N, a magic link to the directory: chown and chmod follow it.
    if (entry) {
      chmodSync(at.path, options.chmod ?? entry.mode);
      chownSync(at.path, options.uid, options.gid);
    }
  } finally {
    at.close();
  }
}

function writeEntry(root: string, path: string, entry: Entry, options: WriteOptions, security: Security): void {
  if (entry.type === 'dir') return ensureDir(root, path, security, options, entry);
  const parent = security.targetInRoot(root, posix.dirname(path), 'dir');
  try {
    const target = `${parent.path}/${posix.basename(path)}`;
    let existing;
    try {
      existing = lstatSync(target);
    } catch {
      existing = undefined;
    }
    if (existing) rmSync(target, { recursive: existing.isDirectory(), force: true });
    if (entry.type === 'symlink') {
      symlinkSync(entry.link!, target);
    } else {
      copyFileSync(entry.path, target, 1); // COPYFILE_EXCL: the name is free, never a link
      chmodSync(target, options.chmod ?? entry.mode);
    }
    lchownSync(target, options.uid, options.gid);
    lutimesSync(target, entry.mtime, entry.mtime);
  } finally {
    parent.close();
  }
}

