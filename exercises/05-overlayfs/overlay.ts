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
 * Mount the overlay `opts` describes at `opts.target`, making whatever directories it needs,
 * for any number of layers. mount(2) takes at most one page (PAGE bytes, with its final NUL)
 * of data, which a few dozen long layer paths exceed; shortLowers(lowers, upper) gives short
 * names for them relative to one directory, and the kernel resolves relative paths in the
 * data from the working directory of the caller. Leave the working directory as you found it.
 */
export function mountOverlay(opts: OverlayOptions): void {
  // TODO
  void sys; void PAGE; void shortLowers; void opts;
  todo('mountOverlay', 'exercises/05-overlayfs/overlay.ts');
}
