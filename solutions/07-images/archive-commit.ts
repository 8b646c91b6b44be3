// `carton commit`: a container's upper directory (chapter 05: its changes, with overlay
// whiteouts) becomes one more layer on top of its image's, with OCI whiteouts; the config
// gets the new diff_id, a history entry, and the --change edits.
import { existsSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { writeTree, type HostRange } from '../05-overlayfs/layer-write.js';
import { applyChanges } from './change.js';
import { newImage } from './archive-layer.js';
import { hostPlatform } from './platform.js';
import type { ImageStore } from './store.js';
import type { ImageConfig, ImageInfo } from './types.js';

export interface CommitOptions {
  ref?: string;
  author?: string;
  message?: string;
  /** Dockerfile instructions applied to the config: CMD, ENTRYPOINT, ENV, WORKDIR, USER, EXPOSE, LABEL, … */
  changes?: string[];
  /** The history entry's created_by (Docker puts the container's command there). */
  createdBy?: string;
  /** --userns=private: the container's host range, whose owners are written as its own. */
  range?: HostRange;
}

/** An empty config for an image with no base, for this machine's platform. */
export function emptyConfig(): ImageConfig {
  const { architecture, os, variant } = hostPlatform();
  return { architecture, os, ...(variant ? { variant } : {}), config: {}, rootfs: { type: 'layers', diff_ids: [] }, history: [] };
}

/** A tar archive with no members: two zero blocks. */
function emptyArchive(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => out.write(Buffer.alloc(1024), (e) => (e ? reject(e) : resolve())));
}

/** A new image: `base` plus the changes in `upperDir` as one gzip layer. */
export async function commitLayer(store: ImageStore, base: ImageInfo | undefined, upperDir: string, options: CommitOptions = {}): Promise<ImageInfo> {
  const changed = applyChanges(base?.config.config ?? {}, options.changes ?? []); // bad changes fail before any work
  return newImage(store, {
    base,
    ref: options.ref,
    // A container never started has no upper directory yet: no changes, an empty layer (as Docker).
    produce: (out) => existsSync(upperDir) ? writeTree(upperDir, out, { layer: true, ...(options.range ? { range: options.range } : {}) }) : emptyArchive(out),
    configure: (diffId) => {
      const config: ImageConfig = structuredClone(base?.config ?? emptyConfig());
      const created = new Date().toISOString();
      config.created = created;
      if (options.author) config.author = options.author;
      else delete config.author;
      config.config = changed;
      config.rootfs = { type: 'layers', diff_ids: [...config.rootfs.diff_ids, diffId] };
      config.history = [...(config.history ?? []), {
        created,
        ...(options.author ? { author: options.author } : {}),
        created_by: options.createdBy ?? '',
        ...(options.message ? { comment: options.message } : {}),
      }];
      return config;
    },
  });
}
