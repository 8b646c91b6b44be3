// `carton import` and `carton export`: a root filesystem as a tarball, both ways. Import
// makes a one-layer image of the tarball as it is (plain, gzip or zstd); export writes a
// container's merged tree with chapter 05's tar writer: modes, owners, symlinks, hard
// links, devices and xattrs kept.
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { writeTree, type HostRange } from '../05-overlayfs/layer-write.js';
import { decompressed } from '../05-overlayfs/tar-compress.js';
import { applyChanges } from './change.js';
import { emptyConfig } from './archive-commit.js';
import { newImage } from './archive-layer.js';
import type { ImageStore } from './store.js';
import type { ImageInfo } from './types.js';

export interface ImportOptions {
  ref?: string;
  changes?: string[];
  message?: string;
}

/** Whether the file at `path` starts as gzip does (1f 8b). */
function isGzipFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * A single-layer image of the root filesystem tarball `input` (a path or a stream). A .tar.gz
 * file is the layer as it stands (its bytes become the blob, as a registry would keep them);
 * plain tar, zstd and a stream are compressed into one.
 */
export async function importTarball(store: ImageStore, input: string | Readable, options: ImportOptions = {}): Promise<ImageInfo> {
  const changed = applyChanges({}, options.changes ?? []);
  const source = typeof input === 'string' ? input : '-';
  return newImage(store, {
    ref: options.ref,
    ...(typeof input === 'string' && isGzipFile(input) ? { gzipFile: input } : {}),
    produce: async (out) => {
      for await (const chunk of await decompressed(typeof input === 'string' ? createReadStream(input) : input)) {
        if (!out.write(chunk)) await once(out, 'drain');
      }
    },
    configure: (diffId) => {
      const config = emptyConfig();
      const created = new Date().toISOString();
      config.created = created;
      config.config = changed;
      config.rootfs.diff_ids = [diffId];
      config.history = [{ created, comment: options.message || `Imported from ${source}` }];
      return config;
    },
  });
}

/** Write the tree `dir` to `out` as a tarball (`out` is not ended); owners in `range` as the container sees them. */
export async function exportDirectory(dir: string, out: Writable, range?: HostRange): Promise<void> {
  await writeTree(dir, out, { layer: false, ...(range ? { range } : {}) });
}
