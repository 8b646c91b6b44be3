// Images for the runtime: chapter 07's store under $CARTON_ROOT/images, the default image
// carton/busybox (built on demand from the host's static busybox as a one-layer image, so
// carton works offline from the first command), and "pull when missing" for `carton run`.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { arch } from 'node:os';
import { CartonError, q } from '../sys/index.js';
import { chapter } from '../impl.js';
import type { ImageInfo, Progress, ImageConfig, Manifest } from '../../solutions/07-images/types.js';
import { cartonRoot } from './paths.js';
import { chapterFeatures } from './level.js';

export type Images = typeof import('../../solutions/07-images/index.js');
export type Store = InstanceType<Images['ImageStore']>;

export const DEFAULT_IMAGE = 'carton/busybox';

/**
 * Chapter 07's module: the learner's with CARTON_IMPL=exercises once they have reached
 * chapter 07, else the reference solution, so that `carton run` works in earlier chapters.
 */
export async function imagesModule(): Promise<Images> {
  // around the switch: below chapter 07 the learner has not written its exercises yet, and images still have to come from somewhere
  return chapterFeatures().images ? chapter.images() : import('../../solutions/07-images/index.js');
}

export function storeRoot(root = cartonRoot()): string {
  return join(root, 'images');
}

export async function openStore(): Promise<{ images: Images; store: Store }> {
  const images = await imagesModule();
  return { images, store: new images.ImageStore(storeRoot()) };
}

/** Is `ref` the default image, in any of its spellings? */
export function isDefaultImage(images: Images, ref: string): boolean {
  try {
    return images.fullName(ref) === images.fullName(DEFAULT_IMAGE);
  } catch {
    return false;
  }
}

/** The digest and size of a file, for a descriptor (chapter 07's hasher). */
async function sha256File(images: Images, path: string): Promise<{ digest: string; size: number }> {
  const hasher = new images.Hasher();
  for await (const chunk of createReadStream(path)) hasher.update(chunk as Buffer);
  return { digest: hasher.digest(), size: hasher.size };
}

const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };

/**
 * Build carton/busybox: a root filesystem from the host's static busybox (chapter 01's
 * makeRootfs), written as a layer tarball (chapter 05's writer), stored and unpacked like
 * any pulled layer, with a config and a manifest around it. Two cartons building it at once
 * both succeed: the first to name it wins, the other's copy is left for gc.
 */
export async function buildDefaultImage(images: Images, store: Store): Promise<ImageInfo> {
  const [{ makeRootfs }, { upperToLayer }] = await Promise.all([import('../../solutions/01-chroot/rootfs.js'), import('../../solutions/05-overlayfs/layer-write.js')]);
  const tmp = mkdtempSync(join(cartonRoot(), '.default-image-'));
  try {
    const rootfs = join(tmp, 'rootfs');
    const made = makeRootfs(rootfs);
    const tar = join(tmp, 'layer.tar');
    await upperToLayer(rootfs, tar);
    const layer = { mediaType: images.MEDIA.ociLayer, ...(await sha256File(images, tar)) };
    await store.ingest(layer, createReadStream(tar));
    const { diffId } = await store.unpack(layer, layer.digest);
    const created = new Date().toISOString();
    const config: ImageConfig = {
      created, architecture: GOARCH[arch()] ?? arch(), os: 'linux',
      config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ created, created_by: `carton: root filesystem from the host's ${made === 'busybox' ? 'static busybox' : 'programs and libraries'}`, comment: 'built by carton' }],
    };
    const configBlob = JSON.stringify(config);
    const manifest: Manifest = {
      schemaVersion: 2, mediaType: images.MEDIA.ociManifest,
      config: { mediaType: images.MEDIA.ociConfig, digest: store.putBlob(configBlob), size: Buffer.byteLength(configBlob) },
      layers: [layer],
    };
    const manifestDigest = store.putBlob(JSON.stringify(manifest));
    const name = images.fullName(DEFAULT_IMAGE);
    return store.withLock(() => store.find(name) ?? store.addImage(manifestDigest, [name]));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Look up `ref` in the store; carton/busybox, which no registry has, is built on first
 * use, so that `carton save`, `tag`, `history` or `inspect` of it work like `run` does.
 */
export async function findImage(images: Images, store: Store, ref: string): Promise<ImageInfo | undefined> {
  return store.find(ref) ?? (isDefaultImage(images, ref) ? buildDefaultImage(images, store) : undefined);
}

export interface ResolveOptions {
  /** Docker's --pull: missing (default), always, never. */
  pull?: string;
  platform?: string;
  /** Where pull progress goes; nothing when quiet. */
  progress?: (p: Progress) => void;
  /** Said before a pull that `run` starts by itself. */
  notice?: (text: string) => void;
}

/** The image `ref` names if it is in the store (loading only the store's module: see resolveImage). */
export async function localImage(ref: string): Promise<ImageInfo | undefined> {
  const { ImageStore } = await import('../../solutions/07-images/store.js');
  return new ImageStore(storeRoot()).find(ref);
}

/** The image `ref` names, built (default image) or pulled when it is missing. */
export async function resolveImage(ref: string, options: ResolveOptions = {}): Promise<ImageInfo> {
  const policy = options.pull ?? 'missing';
  if (!['missing', 'always', 'never'].includes(policy)) throw new CartonError(`invalid pull option ${q(policy)}`, 'use missing, always or never');
  // The everyday path, an image already here, loads only the store's module: every module
  // loaded is start-up time of each `carton run`.
  const found = await localImage(ref);
  if (found && policy !== 'always') return found;
  const { images, store } = await openStore();
  if (isDefaultImage(images, ref)) return found ?? buildDefaultImage(images, store);
  if (policy === 'never') throw new CartonError(`no such image: ${ref}`, 'pull it first (carton pull), or drop --pull never');
  const registry = images.parseReference(ref).registry; // a malformed name is an error of its own, not a missing image
  if (offline(registry)) {
    if (found) refuseOffline('pull from', registry); // --pull always cannot refresh it
    throw new CartonError(`unable to find image ${q(ref)} locally, and carton is offline (CARTON_OFFLINE=1): it reaches only registries on this machine`, 'pull it from a registry on localhost, or carton load it');
  }
  if (!found) options.notice?.(`Unable to find image '${ref}' locally\n`);
  return images.pull(store, ref, { platform: options.platform, onProgress: options.progress, authFile: authFile() });
}

/**
 * With CARTON_OFFLINE=1 carton talks only to registries on this machine (localhost,
 * 127.0.0.0/8, ::1): an air-gapped host, and every test run, which must never reach out.
 */
export function offline(registry: string): boolean {
  if (process.env.CARTON_OFFLINE !== '1') return false;
  const host = registry.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return !(host === 'localhost' || host === '::1' || /^127\./.test(host));
}

export function refuseOffline(action: string, registry: string): void {
  if (offline(registry)) throw new CartonError(`${action} ${registry}: carton is offline (CARTON_OFFLINE=1): it reaches only registries on this machine`, 'unset CARTON_OFFLINE to reach other registries');
}

export function authFile(): string {
  return join(cartonRoot(), 'auth.json');
}

/** The directory a container runs from when there is no overlay (CARTON_CHAPTER < 5). */
export function singleRootfs(image: ImageInfo, ref: string): string {
  if (image.layerDirs.length === 1) return image.layerDirs[0];
  throw new CartonError(`image ${q(ref)} has ${image.layerDirs.length} layers: stacking them needs chapter 05 (overlayfs)`, 'run it with CARTON_CHAPTER=5 or later, or use carton/busybox');
}
