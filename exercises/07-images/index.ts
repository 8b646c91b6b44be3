// Chapter 07 — images, the learner's version: the five exercises, and the rest of the
// chapter from solutions/, wired so that pulls and logins call the learner's functions.
// (The store itself keeps the reference parser for names: a bug in an exercise must not
// be able to damage index.json.)
import * as base from '../../solutions/07-images/index.js';
import type { ImageInfo, ImageStore, PullOptions, RegistryOptions } from '../../solutions/07-images/index.js';
import { parseReference } from './reference.js';
import { selectPlatform } from './platform.js';
import { parseAuthChallenge } from './challenge.js';
import { pull as pullWith } from './pull.js';

export { parseReference, familiarName, formatReference, repoName, DEFAULT_REGISTRY, DEFAULT_TAG } from './reference.js';
export { selectPlatform, hostPlatform, parsePlatform, formatPlatform, normalizePlatform } from './platform.js';
export { parseAuthChallenge, type Challenge } from './challenge.js';
export * from '../../solutions/07-images/types.js';
export {
  sha256, Hasher, verify, isDigest, checkDigest, hexOf, DigestMismatchError, parseManifest, MANIFEST_TYPES, LAYER_TYPES,
  ImageStore, fullName, shortName, Lease, Leases, withLockFile, credentialsFor, saveCredentials, removeCredentials, defaultAuthFile,
  registryUrl, RegistryError, logout, registryName,
} from '../../solutions/07-images/index.js';
export type { Parsed, Credentials, RegistryOptions, PullOptions, PullSteps } from '../../solutions/07-images/index.js';

const steps = { parseReference, selectPlatform, parseAuthChallenge };

export class Registry extends base.Registry {
  constructor(registry: string, options: RegistryOptions = {}) {
    super(registry, { parseChallenge: parseAuthChallenge, ...options });
  }
}

export const pull = (store: ImageStore, ref: string, options: PullOptions = {}): Promise<ImageInfo> => pullWith(store, ref, options, steps);
export const login = (registry: string, username: string, password: string, authFile?: string): Promise<void> =>
  base.login(registry, username, password, authFile, steps);
// push, save, load, import, export, commit: not exercises in this chapter.
export { push, pushScope, type PushOptions, type Pushed } from '../../solutions/07-images/index.js';
export * from '../../solutions/07-images/archive.js';
