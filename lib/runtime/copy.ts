// carton cp: files between a container and the host, with docker cp's rules. The container's
// side is its whole filesystem: for a running container, its root as its own processes see
// it (/proc/<pid>/root, volumes included); for a stopped one, an overlay of its layers and
// changes (writable when copying in, so that what is written becomes its changes). Every path
// inside is resolved within that root (openat2 RESOLVE_IN_ROOT), so a symlink the container
// made is followed as the container would follow it, never onto the host.
//
// The rules (docs.docker.com "docker container cp"): a file SRC goes to DEST, or into DEST if
// it is a directory; DEST ending in "/" must be a directory; a directory SRC becomes DEST if
// DEST does not exist, else is copied into it as DEST/name, or, written "SRC/.", its contents
// are. Copied files belong to root in the container unless -a keeps their uid and gid; -L
// follows a symlink SRC. Ids are the container's: with --userns=private they are shifted
// into its range on the way in and back on the way out.
import { closeSync, createWriteStream, fchmodSync, fstatSync, lchownSync, lstatSync, lutimesSync, mkdirSync, mkdtempSync, openSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, type Stats } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import { runRoot } from './paths.js';
import * as sys from '../sys/index.js';
import { CartonError, q } from '../sys/index.js';
import { chapter } from '../impl.js';
import { withContainerRoot } from './container-fs.js';
import { copyData, putDirectory, putEntry } from './put-in-root.js';
import { sameProcess } from '../sys/proc.js';
import type { ContainerRecord } from './state.js';

type Security = Awaited<ReturnType<typeof chapter.security>>;

export interface CopyOptions {
  archive: boolean;
  followLink: boolean;
}

const IN_ROOT = sys.RESOLVE_IN_ROOT | sys.RESOLVE_NO_MAGICLINKS;

/**
 * Open `path` inside `root` (never creating anything): RESOLVE_IN_ROOT keeps every symlink
 * and ".." inside it. Without `follow` a final symlink is opened itself (O_PATH|O_NOFOLLOW).
 */
function openIn(root: string, path: string, flags: number, follow: boolean): number {
  const rootFd = sys.open(root, sys.O_PATH | sys.O_DIRECTORY | sys.O_CLOEXEC);
  try {
    return sys.openat2(rootFd, path, flags | sys.O_CLOEXEC | (follow ? 0 : sys.O_NOFOLLOW), IN_ROOT);
  } finally {
    sys.close(rootFd);
  }
}

/** The entry at `path` inside `root` itself (a final symlink not followed unless `follow`). */
function entryStats(root: string, path: string, follow: boolean): Stats {
  const fd = openIn(root, path, sys.O_PATH, follow);
  try {
    return fstatSync(fd);
  } finally {
    sys.close(fd);
  }
}

/** As entryStats, or undefined where there is nothing to open. */
function statIn(root: string, path: string, follow: boolean): Stats | undefined {
  try {
    return entryStats(root, path, follow);
  } catch {
    return undefined;
  }
}

/** Run `use` with the container's root as a host path; `live` when it is the running container's own. */
async function withRoot<T>(record: ContainerRecord, writable: boolean, use: (root: string, live: boolean) => Promise<T>): Promise<T> {
  if ((record.status === 'running' || record.status === 'paused') && record.pid && sameProcess(record.pid, record.pidStart)) return use(`/proc/${record.pid}/root`, true);
  return withContainerRoot(record, (root) => use(root, false), { writable });
}

/**
 * --userns=private: ids as the container sees them (0..65535) and as the host stores them
 * (the range). An id outside the range is left as it is: a layer's files, seen through a
 * stopped container's overlay on the host, are uid 0, which is the container's root.
 */
interface IdShift {
  toHost(id: number, kind: 'uid' | 'gid'): number;
  toContainer(id: number, kind: 'uid' | 'gid'): number;
}

function idShift(record: ContainerRecord): IdShift {
  const userns = record.userns;
  const base = (kind: 'uid' | 'gid') => (kind === 'uid' ? userns!.uid : userns!.gid);
  return {
    toHost: (id, kind) => (userns && id < userns.size ? base(kind) + id : id),
    toContainer: (id, kind) => (userns && id >= base(kind) && id < base(kind) + userns.size ? id - base(kind) : id),
  };
}

/** Copy the host path `src` into the container at `dest`. */
export async function copyIn(record: ContainerRecord, src: string, dest: string, options: CopyOptions): Promise<void> {
  const security = await chapter.security();
  let top: Stats;
  try {
    top = options.followLink ? statSync(src) : lstatSync(src);
  } catch {
    throw new CartonError(`could not find the file ${q(src)} on the host`);
  }
  await withRoot(record, true, async (root, live) => {
    const target = posix.resolve('/', dest);
    const existing = statIn(root, target, true);
    if (dest.endsWith('/') && existing && !existing.isDirectory()) throw new CartonError(`${q(dest)} is not a directory in container ${record.name}`);
    if (dest.endsWith('/') && !existing && !top.isDirectory()) throw new CartonError(`no such directory ${q(dest)} in container ${record.name}`);
    const contentsOnly = src.endsWith('/.') || src === '.';
    const into = existing?.isDirectory() && !(top.isDirectory() && contentsOnly);
    const put = () => putTree(security, root, src, into ? posix.join(target, basename(src)) : target, top, options, idShift(record));
    // A running --userns=private container's overlay was mounted in its user namespace, which
    // does not map the host's root: what we create there must be created by the namespace's root.
    if (live && record.userns) sys.withFsIds(record.userns.uid, record.userns.gid, put);
    else put();
  });
}

function putTree(security: Security, root: string, hostPath: string, path: string, stats: Stats, options: CopyOptions, ids: IdShift): void {
  const [uid, gid] = options.archive ? [stats.uid, stats.gid] : [0, 0];
  const owner = { mode: stats.mode & 0o7777, uid: ids.toHost(uid, 'uid'), gid: ids.toHost(gid, 'gid'), atime: stats.atime, mtime: stats.mtime };
  if (!stats.isDirectory()) return putEntry(security, root, path, stats.isSymbolicLink() ? { link: readlinkSync(hostPath) } : { from: hostPath }, owner, false);
  putDirectory(security, root, path, owner);
  for (const name of readdirSync(hostPath).sort()) {
    const child = join(hostPath, name);
    const childStats = lstatSync(child);
    if (childStats.isDirectory() || childStats.isFile() || childStats.isSymbolicLink()) putTree(security, root, child, posix.join(path, name), childStats, options, ids);
  }
}

/** Copy `src` from the container to the host path `dest`. */
export async function copyOut(record: ContainerRecord, src: string, dest: string, options: CopyOptions): Promise<void> {
  await withRoot(record, false, async (root) => {
    const path = posix.resolve('/', src);
    const stats = statIn(root, path, options.followLink);
    if (!stats) throw new CartonError(`could not find the file ${q(src)} in container ${record.name}`);
    let existing: Stats | undefined;
    try {
      existing = statSync(dest);
    } catch {
      existing = undefined;
    }
    if (dest.endsWith('/') && !existing) throw new CartonError(`no such directory ${q(dest)}`);
    const contentsOnly = src.endsWith('/.');
    const place = existing?.isDirectory() && !(stats.isDirectory() && contentsOnly) ? join(dest, posix.basename(path)) : dest;
    getTree(root, path, place, options.followLink, options, idShift(record));
  });
}

/** The names in the directory at `path` inside `root`, sorted. */
function namesIn(root: string, path: string, follow: boolean): string[] {
  const dir = openIn(root, path, sys.O_RDONLY | sys.O_DIRECTORY, follow);
  try {
    return readdirSync(`/proc/self/fd/${dir}`).sort();
  } finally {
    sys.close(dir);
  }
}

/** Where the symlink at `path` inside `root` points (its target is the container's business). */
function linkIn(root: string, path: string): string {
  const parent = openIn(root, posix.dirname(path), sys.O_PATH | sys.O_DIRECTORY, true);
  try {
    return readlinkSync(`/proc/self/fd/${parent}/${posix.basename(path)}`);
  } finally {
    sys.close(parent);
  }
}

/** Every entry is opened inside the root by its full path, so a link swapped in is still resolved there. */
function getTree(root: string, path: string, hostPath: string, follow: boolean, options: CopyOptions, ids: IdShift): void {
  const stats = entryStats(root, path, follow);
  if (stats.isDirectory()) {
    const names = namesIn(root, path, follow);
    mkdirSync(hostPath, { recursive: true, mode: stats.mode & 0o7777 });
    for (const name of names) getTree(root, posix.join(path, name), join(hostPath, name), false, options, ids);
  } else if (stats.isSymbolicLink()) {
    rmSync(hostPath, { force: true });
    symlinkSync(linkIn(root, path), hostPath);
  } else if (stats.isFile()) {
    const file = openIn(root, path, sys.O_RDONLY, follow);
    rmSync(hostPath, { force: true });
    const out = openSync(hostPath, sys.O_WRONLY | sys.O_CREAT | sys.O_EXCL | sys.O_NOFOLLOW | sys.O_CLOEXEC, stats.mode & 0o7777);
    try {
      copyData(file, out);
      fchmodSync(out, stats.mode & 0o7777);
    } finally {
      closeSync(out);
    }
  } else return; // devices, sockets, fifos: not copied
  if (options.archive) lchownSync(hostPath, ids.toContainer(stats.uid, 'uid'), ids.toContainer(stats.gid, 'gid'));
  lutimesSync(hostPath, stats.atime, stats.mtime);
}

/**
 * Copy the tree at `path` inside `fromRoot` to `toPath` inside `toRoot`, keeping owners, modes
 * and times: both sides are resolved within their roots, so neither an image's symlinks nor
 * ones planted in the destination lead out of them. Devices, sockets and fifos are skipped.
 */
export function copyBetweenRoots(security: Security, fromRoot: string, path: string, toRoot: string, toPath: string, follow = false): void {
  const stats = entryStats(fromRoot, path, follow);
  const owner = { mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid, atime: stats.atime, mtime: stats.mtime };
  if (stats.isDirectory()) {
    putDirectory(security, toRoot, toPath, owner);
    for (const name of namesIn(fromRoot, path, follow)) copyBetweenRoots(security, fromRoot, posix.join(path, name), toRoot, posix.join(toPath, name));
  } else if (stats.isSymbolicLink()) {
    putEntry(security, toRoot, toPath, { link: linkIn(fromRoot, path) }, owner, true);
  } else if (stats.isFile()) {
    const file = openIn(fromRoot, path, sys.O_RDONLY, false);
    try {
      putEntry(security, toRoot, toPath, { from: `/proc/self/fd/${file}` }, owner, true);
    } finally {
      sys.close(file);
    }
  }
}

/** Whether `path` inside `root` is a directory, its symlinks followed inside the root. */
export function isDirectoryIn(root: string, path: string): boolean {
  return !!statIn(root, path, true)?.isDirectory();
}

/** A scratch directory for a tar stream's copy, removed after `use`. */
async function withScratch<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(runRoot(), 'cp-'));
  try {
    return await use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `cp CONTAINER:PATH -`: a tar of it on `out`, copied out safely first (copyOut), then
 * archived from that copy. The stream carries the owners as the container has them, as
 * Docker's does (-a or not).
 */
export async function copyOutAsTar(record: ContainerRecord, src: string, out: Writable, options: CopyOptions): Promise<void> {
  await withScratch(async (dir) => {
    await copyOut(record, src, dir, { ...options, archive: true });
    const { writeTree } = await import('../../solutions/05-overlayfs/layer-write.js');
    await writeTree(dir, out, { layer: false });
  });
}

/**
 * `cp - CONTAINER:DIR`: a tar from `input`, unpacked by chapter 05's code (which refuses paths
 * that leave the directory) into a scratch directory, then copied in with its owners.
 */
export async function copyInFromTar(record: ContainerRecord, input: Readable, dest: string, options: CopyOptions): Promise<void> {
  await withScratch(async (dir) => {
    await pipeline(input, createWriteStream(join(dir, 'in.tar')));
    const { applyLayer } = await import('../../solutions/05-overlayfs/layer-apply.js');
    await applyLayer(join(dir, 'in.tar'), join(dir, 'tree'));
    await copyIn(record, join(dir, 'tree') + '/.', dest.endsWith('/') ? dest : dest + '/', { ...options, archive: true });
  });
}
