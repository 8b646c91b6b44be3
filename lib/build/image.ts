// The images a build makes: one more layer (RUN, COPY: a container's changes, committed by
// chapter 07's newImage), or a new config over the same layers (ENV, CMD, … at the end of a
// stage, and --label). Both carry the history entry Docker writes for the instruction.
import type { Writable } from 'node:stream';
import { newImage } from '../../solutions/07-images/archive-layer.js';
import { writeTree } from '../../solutions/05-overlayfs/layer-write.js';
import { MEDIA, type Descriptor, type ImageConfig, type ImageInfo, type Manifest } from '../../solutions/07-images/types.js';
import type { Store } from '../runtime/images.js';
import { existsSync } from 'node:fs';

/** A layer from `upper` (a container's changes) over `base`, with `config` as the new config. */
export async function layerImage(store: Store, base: ImageInfo | undefined, upper: string, config: ImageConfig, createdBy: string): Promise<ImageInfo> {
  return newImage(store, {
    base,
    produce: (out: Writable) => (existsSync(upper) ? writeTree(upper, out, { layer: true }) : new Promise((r) => out.write(Buffer.alloc(1024), () => r()))),
    configure: (diffId) => {
      const created = new Date().toISOString();
      return {
        ...structuredClone(config),
        created,
        rootfs: { type: 'layers', diff_ids: [...config.rootfs.diff_ids, diffId] },
        history: [...(config.history ?? []), { created, created_by: createdBy }],
      };
    },
  });
}

/** The same layers as `base` with `config`; unnamed until tagged. */
export function configImage(store: Store, base: ImageInfo | undefined, config: ImageConfig): ImageInfo {
  const bytes = JSON.stringify({ ...config, created: config.created ?? new Date().toISOString() });
  const configDescriptor: Descriptor = { mediaType: MEDIA.ociConfig, digest: store.putBlob(bytes), size: Buffer.byteLength(bytes) };
  // Docker's media types for the same bytes, spelled as OCI's in an OCI manifest.
  const oci: Record<string, string> = { [MEDIA.dockerLayerGzip]: MEDIA.ociLayerGzip, 'application/vnd.docker.image.rootfs.diff.tar': MEDIA.ociLayer };
  const layers = (base?.manifest.layers ?? []).map((l) => ({ ...l, mediaType: oci[l.mediaType] ?? l.mediaType }));
  const manifest: Manifest = { schemaVersion: 2, mediaType: MEDIA.ociManifest, config: configDescriptor, layers };
  return store.addImage(store.putBlob(JSON.stringify(manifest)), []);
}
