// Docker's archive format: manifest.json lists each image as { Config, RepoTags, Layers },
// paths of members. `docker save` before 25 and `skopeo copy … docker-archive:` write
// "<hex>.json" configs and "<hex>.tar" or "<id>/layer.tar" uncompressed layers; Docker 25+
// points into blobs/sha256/. There is no manifest blob: we write an OCI manifest for it.
import { MEDIA, type Descriptor, type ImageConfig, type Manifest } from './types.js';
import { sha256 } from './digest.js';
import type { Member } from './archive-tar.js';
import { checkNamedDigest, layerMediaType, malformed, member, pairLayers, readJson, type PlannedImage } from './archive-plan.js';

interface DockerEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

export function readDockerManifest(members: Map<string, Member>): DockerEntry[] {
  const entries = readJson<DockerEntry[]>(member(members, 'manifest.json', 'manifest'), 'manifest.json');
  if (!Array.isArray(entries) || entries.some((e) => typeof e?.Config !== 'string' || !Array.isArray(e.Layers) || e.Layers.some((l) => typeof l !== 'string'))) {
    malformed('manifest.json is not a list of { Config, RepoTags, Layers }');
  }
  return entries;
}

/** The member a manifest.json path names ("./x", "x" and "x/" are the same member). */
function named(members: Map<string, Member>, path: string, what: string): Member {
  return member(members, path.replace(/^(\.\/)+/, ''), what);
}

export function planDocker(members: Map<string, Member>): PlannedImage[] {
  return readDockerManifest(members).map((entry, i): PlannedImage => {
    const what = `manifest.json image ${i}`;
    const configMember = named(members, entry.Config, `${what} config`);
    checkNamedDigest(entry.Config, configMember, 'config');
    const config = readJson<ImageConfig>(configMember, `${what} config`);
    const blobs = [{ desc: { mediaType: MEDIA.ociConfig, digest: configMember.digest, size: configMember.size } as Descriptor, member: configMember }];
    const layerDescs = entry.Layers.map((path, n) => {
      const m = named(members, path, `${what} layer ${n}`);
      checkNamedDigest(path, m, 'layer');
      const desc: Descriptor = { mediaType: layerMediaType(m), digest: m.digest, size: m.size };
      blobs.push({ desc, member: m });
      return desc;
    });
    const layers = pairLayers(config, layerDescs, what);
    const manifest: Manifest = { schemaVersion: 2, mediaType: MEDIA.ociManifest, config: blobs[0].desc, layers: layerDescs };
    const bytes = Buffer.from(JSON.stringify(manifest));
    return { manifestDigest: sha256(bytes), manifest: bytes, config, blobs, layers, names: entry.RepoTags ?? [] };
  });
}
