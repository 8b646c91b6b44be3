// Chapter 11: the config hash. A second `compose up` must recreate only the services whose
// configuration changed, so each container carries a label with a hash of the service as it
// was created from (com.docker.compose.config-hash, as Docker Compose). Two descriptions
// that mean the same must hash the same: keys in any order, so the JSON is canonical (keys
// sorted at every level, undefined members left out) before it is hashed.
import { createHash } from 'node:crypto';

/** JSON with every object's keys sorted, and no undefined members. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The sha256 (hex) of the canonical JSON of a service's configuration. */
export function configHash(service: unknown, canonical: typeof canonicalJson = canonicalJson): string {
  return createHash('sha256').update(canonical(service)).digest('hex');
}
