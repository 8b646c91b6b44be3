// Chapter 05: overlayfs. A union mount shows several directories as one: read-only "lower"
// layers (an image's layers, topmost first), one writable "upper" layer (the container's),
// and a "work" directory overlayfs needs on the upper's filesystem for atomic copy-ups.
// See the kernel's Documentation/filesystems/overlayfs.rst and `man 2 mount`.
import { mkdirSync, symlinkSync, readlinkSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as sys from '../../lib/sys/index.js';

export interface OverlayOptions {
  /** Read-only layers, topmost first (as overlayfs's lowerdir lists them). */
  lowers: string[];
  upper: string;
  work: string;
  target: string;
}

// #region overlayOptions
/**
 * The data string of mount(2) for an overlay: "lowerdir=A:B,upperdir=U,workdir=W". The
 * lowerdir list goes topmost first. overlayfs splits it on ':' and ',' so those characters
 * must be escaped with a backslash in paths.
 */
export function overlayOptions(lowers: string[], upper: string, work: string): string {
  const escape = (path: string) => path.replace(/([\\:,])/g, '\\$1');
  return `lowerdir=${lowers.map(escape).join(':')},upperdir=${escape(upper)},workdir=${escape(work)}`;
}
// #endregion overlayOptions

// The mount data string is copied into one page (4096 bytes) by the kernel. With long
// paths that is a few dozen layers at most, so, like Docker's overlay2 driver and its "l/"
// directory, we give each lower a short symlink name in a directory next to the upper, and
// mount with the working directory there so the paths in the data string are relative.
export const PAGE = 4096;

/** Short symlinks ("0", "1", … in <upper's parent>/l) to each lower; returns that directory and the names. */
export function shortLowers(lowers: string[], upper: string): { dir: string; names: string[] } {
  const dir = join(dirname(resolve(upper)), 'l');
  mkdirSync(dir, { recursive: true });
  const names = lowers.map((lower, i) => {
    const name = i.toString(36);
    const link = join(dir, name);
    if (existsSync(link) || isLink(link)) {
      if (readlinkSync(link) !== resolve(lower)) throw new sys.CartonError(`link lower layer ${sys.q(link)}: it points elsewhere`);
    } else {
      symlinkSync(resolve(lower), link);
    }
    return name;
  });
  return { dir, names };
}

function isLink(path: string): boolean {
  try { readlinkSync(path); return true; } catch { return false; }
}

// #region mountOverlay
/** Mount an overlay of `lowers` (topmost first) and `upper` at `target`. */
export function mountOverlay(opts: OverlayOptions): void {
  for (const dir of [opts.upper, opts.work, opts.target]) mkdirSync(dir, { recursive: true });
  const data = overlayOptions(opts.lowers, opts.upper, opts.work);
  if (data.length < PAGE - 1) {
    sys.mount('overlay', opts.target, 'overlay', 0, data);
    return;
  }
  // Too long for one page: relative short names, resolved against our working directory
  // at the time of the call (mount(2) resolves the paths in the caller's context).
  const { dir, names } = shortLowers(opts.lowers, opts.upper);
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    sys.mount('overlay', resolve(cwd, opts.target), 'overlay', 0,
      overlayOptions(names, resolve(cwd, opts.upper), resolve(cwd, opts.work)));
  } finally {
    process.chdir(cwd);
  }
}
// #endregion mountOverlay

/** Unmount an overlay; does nothing when nothing is mounted at `target`. */
export function unmountOverlay(target: string): void {
  const path = resolve(target);
  const mounted = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    // mountinfo escapes space, tab, newline and backslash in paths as octal (\040).
    .some((line) => line.split(' ')[4]?.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))) === path);
  if (mounted) sys.umount2(path, sys.MNT_DETACH);
}
