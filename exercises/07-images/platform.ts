// Chapter 07 — exercise: choosing this machine's image from a multi-platform index.
import { todo } from '../../lib/todo.js';
import { hostPlatform, normalizePlatform } from '../../solutions/07-images/platform.js';
import type { Descriptor, Index, Platform } from '../../solutions/07-images/types.js';
export { hostPlatform, normalizePlatform, parsePlatform, formatPlatform } from '../../solutions/07-images/platform.js';

/**
 * The manifest of `index` for `wanted` (the host by default): os and architecture must be
 * equal, and the variant too when `wanted` names one. Compare normalizePlatform() of both
 * sides (it turns arm64 into arm64/v8, as Docker does). Entries with no platform never match.
 */
export function selectPlatform(index: Index, wanted: Platform = hostPlatform()): Descriptor | undefined {
  // TODO: index.manifests.find(...)
  void index;
  void wanted;
  void normalizePlatform;
  todo('selectPlatform', 'exercises/07-images/platform.ts');
}
