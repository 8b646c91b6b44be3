// Test images, built here as an OCI image layout (the format skopeo reads with oci:DIR:TAG):
// layers made from directory trees (chapter 05's reference layer writer), a config, a
// manifest per platform and, for several platforms, an index. Digests are computed here,
// independently of chapter 07's code, so the tests can compare against them.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { upperToLayer } from '../../solutions/05-overlayfs/layer-write.js';

const sha = (data: Buffer | string) => 'sha256:' + createHash('sha256').update(data).digest('hex');

export interface BuiltPlatform {
  platform: { os: string; architecture: string; variant?: string };
  manifestDigest: string;
  configDigest: string;
  layers: string[];
  diffIds: string[];
}

export interface BuiltImage {
  /** The index's digest (several platforms) or the manifest's (one). */
  digest: string;
  platforms: BuiltPlatform[];
}

export interface PlatformSpec {
  platform: { os: string; architecture: string; variant?: string };
  /** Directory trees, lowest layer first. */
  layers: string[];
  compression?: 'gzip' | 'zstd' | 'none';
}

const LAYER_MEDIA = { gzip: 'application/vnd.oci.image.layer.v1.tar+gzip', zstd: 'application/vnd.oci.image.layer.v1.tar+zstd', none: 'application/vnd.oci.image.layer.v1.tar' };

function putBlob(layout: string, data: Buffer | string): { digest: string; size: number } {
  const digest = sha(data);
  writeFileSync(join(layout, 'blobs/sha256', digest.slice(7)), data);
  return { digest, size: Buffer.byteLength(data) };
}

async function buildPlatform(layout: string, spec: PlatformSpec, work: string): Promise<{ built: BuiltPlatform; size: number }> {
  const compression = spec.compression ?? 'gzip';
  const layers = [];
  const diffIds = [];
  for (const [i, tree] of spec.layers.entries()) {
    const tarPath = join(work, `layer-${spec.platform.architecture}-${i}.tar`);
    await upperToLayer(tree, tarPath);
    const tar = readFileSync(tarPath);
    diffIds.push(sha(tar));
    const blob = compression === 'gzip' ? gzipSync(tar) : compression === 'zstd' ? execFileSync('zstd', ['-q', '-c', tarPath], { maxBuffer: 1 << 30 }) : tar;
    layers.push({ mediaType: LAYER_MEDIA[compression], ...putBlob(layout, blob) });
  }
  const config = JSON.stringify({
    created: '2024-01-01T00:00:00Z', ...spec.platform,
    config: { Env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
  });
  const manifest = JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...putBlob(layout, config) },
    layers,
  });
  const m = putBlob(layout, manifest);
  return {
    built: { platform: spec.platform, manifestDigest: m.digest, configDigest: sha(config), layers: layers.map((l) => l.digest), diffIds },
    size: m.size,
  };
}

/** Add `tag` to the OCI layout at `layout` (created if needed): one manifest, or an index of several. */
export async function buildImage(layout: string, tag: string, specs: PlatformSpec[], work: string): Promise<BuiltImage> {
  mkdirSync(join(layout, 'blobs/sha256'), { recursive: true });
  writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const built = [];
  for (const spec of specs) built.push(await buildPlatform(layout, spec, work));
  let top: { mediaType: string; digest: string; size: number };
  if (specs.length === 1) {
    top = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: built[0].built.manifestDigest, size: built[0].size };
  } else {
    const index = JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: built.map((b) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: b.built.manifestDigest, size: b.size, platform: b.built.platform })),
    });
    top = { mediaType: 'application/vnd.oci.image.index.v1+json', ...putBlob(layout, index) };
  }
  const indexPath = join(layout, 'index.json');
  let outer: { schemaVersion: 2; manifests: object[] } = { schemaVersion: 2, manifests: [] };
  try {
    outer = JSON.parse(readFileSync(indexPath, 'utf8'));
  } catch {
    // a new layout
  }
  outer.manifests.push({ ...top, annotations: { 'org.opencontainers.image.ref.name': tag } });
  writeFileSync(indexPath, JSON.stringify(outer));
  return { digest: top.digest, platforms: built.map((b) => b.built) };
}
