// COPY and ADD sources: the paths (and globs) an instruction names, found in the build
// context (or in another stage's filesystem for --from), with everything under them, as a
// list of entries that can be hashed (the cache key) and then written into the image.
// A source may not leave its root: a path through ".." or a symlink that points outside is
// refused, as Docker refuses "forbidden path outside the build context".
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, type Stats } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { CartonError, q } from '../sys/index.js';
import { compressionOf } from '../../solutions/05-overlayfs/tar-compress.js';

export interface Entry {
  /** Where it goes, relative to the destination: "" is the source itself. */
  rel: string;
  /** Where it is on the host. */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  mtime: Date;
  size: number;
  link?: string;
}

export interface Source {
  /** As written in the instruction. */
  name: string;
  isDir: boolean;
  entries: Entry[];
}

const GLOB = /[*?[]/;

function entryOf(rel: string, path: string, stats: Stats): Entry {
  const type = stats.isDirectory() ? 'dir' : stats.isSymbolicLink() ? 'symlink' : 'file';
  return { rel, path, type, mode: stats.mode & 0o7777, mtime: stats.mtime, size: type === 'file' ? stats.size : 0, ...(type === 'symlink' ? { link: readlinkSync(path) } : {}) };
}

/** Everything under a source directory, parents before children; symlinks are not followed. */
function walk(root: string, path: string, rel: string, ignored: (rel: string) => boolean, contextRel: string, out: Entry[]): void {
  for (const name of readdirSync(path).sort()) {
    const child = join(path, name);
    const childContext = contextRel ? `${contextRel}/${name}` : name;
    if (ignored(childContext)) continue;
    const stats = lstatSync(child);
    if (!stats.isDirectory() && !stats.isFile() && !stats.isSymbolicLink()) continue; // sockets, fifos, devices: not copied
    const childRel = rel ? `${rel}/${name}` : name;
    out.push(entryOf(childRel, child, stats));
    if (stats.isDirectory()) walk(root, child, childRel, ignored, childContext, out);
  }
}

/** A glob of one path element as a regular expression: chapter 10's patternRegex (the learner's, through the switch). */
export type Glob = (pattern: string) => RegExp;

/** The top-level matches of one source pattern, relative to root. */
function matches(root: string, pattern: string, ignored: (rel: string) => boolean, glob: Glob): string[] {
  const clean = posix.normalize(`/${pattern}`).slice(1).replace(/\/+$/, '');
  if (clean === '' || clean === '.') return [''];
  if (!GLOB.test(clean)) return ignored(clean) || !exists(join(root, clean)) ? [] : [clean];
  let found = [''];
  for (const part of clean.split('/')) {
    const next: string[] = [];
    for (const dir of found) {
      if (!GLOB.test(part)) {
        next.push(dir ? `${dir}/${part}` : part);
        continue;
      }
      const regex = glob(part);
      let names: string[] = [];
      try {
        names = readdirSync(join(root, dir)).sort();
      } catch {
        // not a directory: no match below it
      }
      for (const name of names) if (regex.test(name)) next.push(dir ? `${dir}/${name}` : name);
    }
    found = next;
  }
  return found.filter((rel) => !ignored(rel) && exists(join(root, rel)));
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Find the sources an instruction names under `root`; `where` names root in errors ("build context", "stage build"). */
export function findSources(root: string, patterns: string[], ignored: (rel: string) => boolean, where: string, glob: Glob): Source[] {
  const realRoot = realpathSync(root);
  const sources: Source[] = [];
  for (const pattern of patterns) {
    const found = matches(root, pattern, ignored, glob);
    if (found.length === 0) throw new CartonError(`${q(pattern)} not found in the ${where}`, where === 'build context' ? 'paths are relative to the context directory; see .dockerignore too' : undefined);
    for (const rel of found) {
      // The top-level path may be a symlink: follow it, but only within the root.
      const resolved = realpathSync(join(root, rel));
      const inside = relative(realRoot, resolved);
      if (inside.startsWith('..') || inside.split(sep)[0] === '..') throw new CartonError(`${q(pattern)}: forbidden path outside the ${where}`);
      const stats = lstatSync(resolved);
      const entries: Entry[] = [entryOf('', resolved, stats)];
      if (stats.isDirectory()) walk(realRoot, resolved, '', ignored, rel, entries);
      sources.push({ name: pattern, isDir: stats.isDirectory(), entries });
    }
  }
  return sources;
}

/**
 * Do these first bytes start a tar archive, compressed (gzip, zstd: chapter 05's compressionOf)
 * or plain ("ustar" at offset 257)? Both ADD and a context on stdin are told so, not by a name.
 */
export function isArchiveHead(head: Buffer): boolean {
  return (head.length >= 4 && compressionOf(head) !== 'none') || head.toString('latin1', 257, 262) === 'ustar';
}

/** What the cache key depends on: every entry's place, type, mode, link and content (not times). */
export function hashSources(sources: Source[]): string {
  const hash = createHash('sha256');
  for (const source of sources) {
    hash.update(`source ${source.name} ${source.isDir}\n`);
    for (const e of source.entries) {
      hash.update(`${e.rel}\0${e.type}\0${e.mode.toString(8)}\0${e.link ?? ''}\0`);
      if (e.type === 'file') hash.update(readFileSync(e.path));
      hash.update('\n');
    }
  }
  return hash.digest('hex');
}
