// One registry for a test file, with the test images pushed by skopeo: app:1 (busybox + a
// second layer), multi:1 (an index: the host's platform and a fake second one whose layer
// differs), zst:1 (a zstd layer), and corrupt:1 (whose layer blob the test damages).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRootfs } from '../../solutions/01-chroot/rootfs.js';
import { removeDir, tempDir } from '../helpers/index.js';
import { skopeoPushAsync, startRegistry, type RegistryAuth, type TestRegistry } from '../helpers/registry.js';
import { buildImage, type BuiltImage } from './oci-build.js';

export const HOST_ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
export const OTHER = HOST_ARCH === 'arm64' ? { os: 'linux', architecture: 'amd64' } : { os: 'linux', architecture: 'arm64', variant: 'v8' };
const HOST = HOST_ARCH === 'arm64' ? { os: 'linux', architecture: 'arm64', variant: 'v8' } : { os: 'linux', architecture: 'amd64' };

export interface Fixture {
  registry: TestRegistry;
  dir: string;
  layout: string;
  images: Record<'app' | 'multi' | 'zst' | 'corrupt', BuiltImage>;
  cleanup(): Promise<void>;
}

function tree(dir: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export async function makeFixture(auth?: RegistryAuth, creds?: string): Promise<Fixture> {
  const dir = tempDir('carton-images-');
  const registry = await startRegistry(auth);
  try {
    const layout = join(dir, 'layout');
    const base = join(dir, 'base');
    makeRootfs(base);
    const motd = tree(join(dir, 'motd'), { 'etc/motd': 'hello from layer 2\n' });
    const images = {
      app: await buildImage(layout, 'app', [{ platform: HOST, layers: [base, motd] }], dir),
      multi: await buildImage(layout, 'multi', [
        { platform: HOST, layers: [base, tree(join(dir, 'host'), { 'etc/platform': 'host\n' })] },
        { platform: OTHER, layers: [tree(join(dir, 'other'), { 'etc/platform': 'other\n' })] },
      ], dir),
      zst: await buildImage(layout, 'zst', [{ platform: HOST, layers: [tree(join(dir, 'z'), { 'etc/zstd': 'zstd layer\n' })], compression: 'zstd' }], dir),
      corrupt: await buildImage(layout, 'corrupt', [{ platform: HOST, layers: [tree(join(dir, 'c'), { 'etc/corrupt': 'this layer will be damaged\n' })] }], dir),
    };
    for (const name of ['app', 'zst', 'corrupt']) await skopeoPushAsync(layout, name, `${registry.host}/${name}:1`, { creds });
    await skopeoPushAsync(layout, 'multi', `${registry.host}/multi:1`, { all: true, creds });
    return { registry, dir, layout, images, cleanup: async () => { await registry.stop(); removeDir(dir); } };
  } catch (e) {
    await registry.stop();
    removeDir(dir);
    throw e;
  }
}

/** The registry's file holding a blob (distribution's filesystem driver layout). */
export function registryBlobPath(registry: TestRegistry, digest: string): string {
  const hex = digest.slice(7);
  return join(registry.storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
}
