// Image references, as Docker reads them. "alpine" is short for
// "docker.io/library/alpine:latest": the first path component names a registry only if
// it looks like a host (has a "." or a ":" port, or is "localhost"); otherwise the
// image is on Docker Hub, and a one-component Hub name lives under "library/".
import { CartonError } from '../../lib/sys/index.js';
import type { Reference } from './types.js';

export const DEFAULT_REGISTRY = 'docker.io';
export const DEFAULT_TAG = 'latest';

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$/;

function bad(ref: string, why: string, hint = 'a reference looks like [registry[:port]/]name[:tag][@sha256:digest], e.g. alpine:3.20 or localhost:5000/app'): never {
  throw new CartonError(`parse reference ${JSON.stringify(ref)}: ${why}`, hint);
}

// #region parseReference
/** Parse and normalise an image reference: "alpine" → docker.io/library/alpine:latest. */
export function parseReference(ref: string): Reference {
  if (ref === '') bad(ref, 'empty reference');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) bad(ref, `invalid digest ${JSON.stringify(digest)}`);
  }
  // A tag follows the last ":" that has no "/" after it (a ":" before a "/" is a port).
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) bad(ref, `invalid tag ${JSON.stringify(tag)}`, 'a tag is up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"');
  }
  let registry = DEFAULT_REGISTRY;
  let repository = rest;
  const slash = rest.indexOf('/');
  const first = rest.slice(0, slash);
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())) {
    registry = first;
    repository = rest.slice(slash + 1);
    if (!HOST.test(registry)) bad(ref, `invalid registry host ${JSON.stringify(registry)}`);
  }
  if (registry === 'index.docker.io') registry = DEFAULT_REGISTRY;
  if (repository === '') bad(ref, 'no repository name');
  if (repository !== repository.toLowerCase()) bad(ref, 'repository name must be lowercase', `try ${JSON.stringify(ref.replace(repository, repository.toLowerCase()))}`);
  for (const part of repository.split('/')) {
    if (!COMPONENT.test(part)) bad(ref, `invalid repository name component ${JSON.stringify(part)}`, 'name components are lowercase letters and digits, separated by ".", "_", "__" or "-"');
  }
  if (registry === DEFAULT_REGISTRY && !repository.includes('/')) repository = `library/${repository}`;
  if (`${registry}/${repository}`.length > 255) bad(ref, 'repository name is longer than 255 characters');
  if (!tag && !digest) tag = DEFAULT_TAG;
  return { registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}
// #endregion parseReference

/** registry/repository, without tag or digest: "docker.io/library/alpine". */
export function repoName(r: Reference): string {
  return `${r.registry}/${r.repository}`;
}

/** The full reference: "docker.io/library/alpine:3.20", "localhost:5000/app@sha256:…". */
export function formatReference(r: Reference): string {
  return repoName(r) + (r.tag ? `:${r.tag}` : '') + (r.digest ? `@${r.digest}` : '');
}

// #region familiarName
/** The short name `carton images` shows: "alpine", "user/app", "localhost:5000/app". */
export function familiarName(r: Reference): string {
  if (r.registry !== DEFAULT_REGISTRY) return repoName(r);
  return r.repository.startsWith('library/') && r.repository.split('/').length === 2 ? r.repository.slice('library/'.length) : r.repository;
}
// #endregion familiarName
