// Chapter 08 — exercise: a mount's options, as config.json lists them, for mount(2).
import { todo } from '../../lib/todo.js';
import * as sys from '../../lib/sys/index.js';
export { propagationFlags, type MountOptions } from '../../solutions/08-oci/mount-options.js';
import type { MountOptions } from '../../solutions/08-oci/mount-options.js';

/**
 * Split `options` into three: the MS_* flags of the mount itself ("ro" sets MS_RDONLY, "rw"
 * clears it again; "nosuid", "nodev", "noexec", "relatime", "strictatime", "bind", "rbind"
 * (MS_BIND|MS_REC), and the rest of mount(8)'s filesystem-independent options, with their
 * opposites); the propagation changes ("private", "rslave" …: MS_PRIVATE, MS_SLAVE|MS_REC …),
 * in order; and everything else, joined by commas, as the filesystem's data.
 */
export function parseMountOptions(options: string[] = []): MountOptions {
  // TODO: one pass over options; the lesson's table says which word is which flag
  void sys.MS_RDONLY;
  void options;
  todo('parseMountOptions', 'exercises/08-oci/mount-options.ts');
}
