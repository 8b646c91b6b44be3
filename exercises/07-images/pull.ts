// Chapter 07 — exercise: carton pull, put together by you from the parts of fetch.ts.
import { CartonError } from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';
import { formatReference, repoName } from '../../solutions/07-images/reference.js';
import { formatPlatform, normalizePlatform, parsePlatform } from '../../solutions/07-images/platform.js';
import { DigestMismatchError } from '../../solutions/07-images/digest.js';
import { Registry } from '../../solutions/07-images/registry.js';
import { credentialsFor, defaultAuthFile } from '../../solutions/07-images/credentials.js';
import { eachLimited, Fetcher, resolve, type PullSteps } from '../../solutions/07-images/fetch.js';
import type { ImageStore } from '../../solutions/07-images/store.js';
import type { ImageInfo } from '../../solutions/07-images/types.js';
import type { PullOptions } from '../../solutions/07-images/pull.js';
import { parseReference } from './reference.js';
import { selectPlatform } from './platform.js';
import { parseAuthChallenge } from './challenge.js';

export type { PullOptions, PullSteps };

/**
 * Pull `ref` into `store` and name it there; resolve with what store.addImage returns.
 *
 * - The reference goes through steps.parseReference; the registry is contacted with the
 *   credentials options.credentials gives for it (or those of options.authFile, or of
 *   defaultAuthFile()), and with steps.parseAuthChallenge to read its challenges.
 * - resolve() finds the one manifest for options.platform (a string is parsed, undefined
 *   means the host's), verified; a Fetcher brings blobs and layers into the store.
 * - An image is only named once all of it is in the store and checked: its config's platform
 *   is the one asked for (else a CartonError naming both), and its config lists one diff_id
 *   per layer of the manifest (else a DigestMismatchError). Layers come at most
 *   options.concurrency (3) at a time. The manifest goes into the store as a blob too.
 * - While it runs, the store's garbage collector must not take what it writes (a lease from
 *   store.leases); if anything fails, what it wrote is discarded (store.discard), and the lease
 *   is released whatever happens.
 * - The image is named by its reference when it has a tag, and always known by
 *   `${repoName(r)}@${repoDigest}`.
 */
export async function pull(store: ImageStore, ref: string, options: PullOptions = {}, steps: PullSteps = { parseReference, selectPlatform, parseAuthChallenge }): Promise<ImageInfo> {
  // TODO
  void [CartonError, formatReference, repoName, formatPlatform, normalizePlatform, parsePlatform, DigestMismatchError, Registry, credentialsFor, defaultAuthFile, eachLimited, Fetcher, resolve];
  void [store, ref, options, steps];
  return todo('pull', 'exercises/07-images/pull.ts');
}

