// Platforms: one tag, many images. An index lists one manifest per os/architecture
// (variant for ARM: arm/v6, arm/v7, arm64/v8); the client picks the one its CPU runs.
import { CartonError } from '../../lib/sys/index.js';
import type { Descriptor, Index, Platform } from './types.js';

// Node's names for CPUs (process.arch) → the OCI/Go names (GOARCH).
const ARCH: Record<string, string> = { x64: 'amd64', x86_64: 'amd64', ia32: '386', aarch64: 'arm64', ppc64: 'ppc64le' };

/** Fill in what Docker leaves implicit: arm64 means arm64/v8, arm means arm/v7. */
export function normalizePlatform(p: Platform): Platform {
  const architecture = ARCH[p.architecture] ?? p.architecture;
  let variant = p.variant || undefined;
  if (architecture === 'arm64' && !variant) variant = 'v8';
  if (architecture === 'arm' && !variant) variant = 'v7';
  return { os: p.os, architecture, ...(variant ? { variant } : {}) };
}

/** The platform this machine runs: linux/amd64, linux/arm64/v8, linux/arm/v7 … */
export function hostPlatform(): Platform {
  const architecture = ARCH[process.arch] ?? process.arch;
  if (architecture === 'arm') {
    const version = (process.config.variables as Record<string, unknown>).arm_version;
    return { os: 'linux', architecture, variant: `v${typeof version === 'string' || typeof version === 'number' ? version : 7}` };
  }
  return normalizePlatform({ os: 'linux', architecture });
}

/** "linux/arm64/v8" → { os, architecture, variant }. */
export function parsePlatform(text: string): Platform {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/i.test(p))) {
    throw new CartonError(`parse platform ${JSON.stringify(text)}: expected os/architecture[/variant]`, 'e.g. linux/amd64, linux/arm64, linux/arm/v7');
  }
  const [os, architecture, variant] = parts;
  return normalizePlatform({ os: os.toLowerCase(), architecture: architecture.toLowerCase(), ...(variant ? { variant: variant.toLowerCase() } : {}) });
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

// #region selectPlatform
/**
 * The manifest of `index` for `wanted` (the host by default): os and architecture must be
 * equal, and the variant too when `wanted` names one (after normalizing both).
 */
export function selectPlatform(index: Index, wanted: Platform = hostPlatform()): Descriptor | undefined {
  const want = normalizePlatform(wanted);
  return index.manifests.find((m) => {
    if (!m.platform) return false;
    const have = normalizePlatform(m.platform);
    return have.os === want.os && have.architecture === want.architecture && (!want.variant || have.variant === want.variant);
  });
}
// #endregion selectPlatform
