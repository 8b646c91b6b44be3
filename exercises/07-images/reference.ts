// Chapter 07 — exercises: reading an image reference the way Docker does.
import { CartonError } from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';
import type { Reference } from '../../solutions/07-images/types.js';
export { formatReference, repoName, DEFAULT_REGISTRY, DEFAULT_TAG } from '../../solutions/07-images/reference.js';

void CartonError; // for your errors: throw new CartonError(`parse reference "${ref}": why`, 'hint')

/**
 * Parse and normalise an image reference:
 *   "alpine"                      → { registry: "docker.io", repository: "library/alpine", tag: "latest" }
 *   "user/app:1"                  → { registry: "docker.io", repository: "user/app", tag: "1" }
 *   "localhost:5000/app@sha256:…" → { registry: "localhost:5000", repository: "app", digest: "sha256:…" }
 * Throw a CartonError whose message starts `parse reference "<ref>": ` and says why: `empty`
 * for an empty reference, `must be lowercase` for an uppercase repository, `invalid tag`,
 * `invalid digest`, or any other reason for a name the grammar refuses.
 */
export function parseReference(ref: string): Reference {
  // TODO: split off "@digest", then a ":tag" after the last "/", then decide whether the
  // first component is a registry ("." or ":" in it, or "localhost").
  void ref;
  todo('parseReference', 'exercises/07-images/reference.ts');
}

/** The short name `carton images` shows: "alpine", "user/app", "localhost:5000/app". */
export function familiarName(r: Reference): string {
  // TODO: drop "docker.io/", and "library/" for Docker Hub's official images.
  void r;
  todo('familiarName', 'exercises/07-images/reference.ts');
}
