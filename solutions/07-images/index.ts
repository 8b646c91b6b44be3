// Chapter 07 — images: the public surface the runtime and the tests use.
export * from './types.js';
export { parseReference, formatReference, familiarName, repoName, DEFAULT_REGISTRY, DEFAULT_TAG } from './reference.js';
export { sha256, Hasher, verify, isDigest, checkDigest, hexOf, DigestMismatchError } from './digest.js';
export { parseManifest, MANIFEST_TYPES, LAYER_TYPES, type Parsed } from './manifest.js';
export { selectPlatform, hostPlatform, parsePlatform, formatPlatform, normalizePlatform } from './platform.js';
export { ImageStore } from './store.js';
export { fullName, shortName } from './lookup.js';
export { Lease, Leases } from './leases.js';
export { withLockFile } from './lock.js';
export { parseAuthChallenge, type Challenge } from './challenge.js';
export { credentialsFor, saveCredentials, removeCredentials, defaultAuthFile, type Credentials } from './credentials.js';
export { Registry, registryUrl, pushScope, type RegistryOptions } from './registry.js';
export { RegistryError } from './registry-error.js';
export { login, logout, registryName } from './login.js';
export { pull, type PullOptions, type PullSteps } from './pull.js';
export { push, type PushOptions, type Pushed } from './push.js';
export * from './archive.js';
