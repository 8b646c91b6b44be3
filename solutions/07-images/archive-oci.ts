// An OCI image layout in a tarball (`skopeo copy … oci-archive:`, Docker 25+'s `docker
// save`): index.json points at manifests, or at an index per platform, by digest; every
// blob is blobs/sha256/<hex>. Names travel as annotations on index.json's descriptors.
import { readFileSync } from 'node:fs';
import { parseManifest } from './manifest.js';
import { selectPlatform, hostPlatform, formatPlatform } from './platform.js';
import { parseReference, formatReference } from './reference.js';
import type { Member } from './archive-tar.js';
import { blobMember, malformed, member, pairLayers, readJson, type PlannedImage } from './archive-plan.js';
import type { Descriptor, ImageConfig } from './types.js';

export const CONTAINERD_NAME = 'io.containerd.image.name';
export const OCI_REF_NAME = 'org.opencontainers.image.ref.name';

/** The full name a descriptor's annotations give, if any. ref.name alone is often just a tag. */
function nameOf(desc: Descriptor): string | undefined {
  const full = desc.annotations?.[CONTAINERD_NAME];
  if (full) return full;
  const ref = desc.annotations?.[OCI_REF_NAME];
  if (!ref || !/[:/]/.test(ref)) return undefined;
  try {
    return formatReference(parseReference(ref));
  } catch {
    return undefined;
  }
}

function planManifest(members: Map<string, Member>, desc: Descriptor, names: string[], depth: number): PlannedImage {
  const what = `manifest ${desc.digest}`;
  const m = blobMember(members, desc, what);
  const bytes = readFileSync(m.path);
  const parsed = parseManifest(bytes, desc.mediaType);
  if (parsed.kind === 'index') {
    if (depth > 4) malformed(`${what}: indexes nested too deep`);
    const pick = selectPlatform(parsed.index) ?? (parsed.index.manifests.length === 1 ? parsed.index.manifests[0] : undefined);
    if (!pick) malformed(`${what}: no image for ${formatPlatform(hostPlatform())}`, 'save the image for this platform');
    return planManifest(members, pick, names, depth + 1);
  }
  const { manifest } = parsed;
  const configMember = blobMember(members, manifest.config, `config of ${what}`);
  const config = readJson<ImageConfig>(configMember, `config of ${what}`);
  const blobs = [{ desc: manifest.config, member: configMember }];
  manifest.layers.forEach((layer, i) => blobs.push({ desc: layer, member: blobMember(members, layer, `layer ${i} of ${what}`) }));
  return { manifestDigest: desc.digest, manifest: bytes, config, blobs, layers: pairLayers(config, manifest.layers, what), names };
}

/** One planned image per manifest index.json names (descriptors of the same image merged). */
export function planOci(members: Map<string, Member>): PlannedImage[] {
  const layout = readJson<{ imageLayoutVersion?: string }>(member(members, 'oci-layout', 'OCI layout marker'), 'oci-layout');
  if (typeof layout?.imageLayoutVersion !== 'string') malformed('oci-layout has no imageLayoutVersion');
  const indexMember = member(members, 'index.json', 'index');
  const parsed = parseManifest(readFileSync(indexMember.path), 'application/vnd.oci.image.index.v1+json');
  if (parsed.kind !== 'index') malformed('index.json is not an image index');
  const images = new Map<string, PlannedImage>();
  for (const desc of parsed.index.manifests) {
    const name = nameOf(desc);
    const planned = planManifest(members, desc, [], 0);
    const seen = images.get(planned.manifestDigest) ?? planned;
    if (name && !seen.names.includes(name)) seen.names.push(name);
    images.set(planned.manifestDigest, seen);
  }
  return [...images.values()];
}
