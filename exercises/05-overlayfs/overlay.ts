// Chapter 05 — exercises: the mount(2) options of an overlay, and the mount itself.
// Read chapters/05-overlayfs/README.md.
import * as sys from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';
import { PAGE, shortLowers, type OverlayOptions } from '../../solutions/05-overlayfs/overlay.js';
export { unmountOverlay, shortLowers, PAGE, type OverlayOptions } from '../../solutions/05-overlayfs/overlay.js';

/**
 * The data string for mount(2): "lowerdir=L1:L2,upperdir=U,workdir=W", lowers topmost
 * first. Escape ':', ',' and '\' in paths with a backslash.
 */
export function overlayOptions(lowers: string[], upper: string, work: string): string {
  // TODO
  void lowers; void upper; void work;
  todo('overlayOptions', 'exercises/05-overlayfs/overlay.ts');
}

/**
 * Create upper, work and target if missing, then mount type "overlay" (source "overlay")
 * at target with overlayOptions(...) as data. When the data string would not fit in one
 * page (PAGE - 1 characters), mount with shortLowers(lowers, upper) instead: chdir into
 * its directory, pass the short names, absolute upper/work/target, and chdir back.
 */
export function mountOverlay(opts: OverlayOptions): void {
  // TODO
  void sys; void PAGE; void shortLowers; void opts;
  todo('mountOverlay', 'exercises/05-overlayfs/overlay.ts');
}
