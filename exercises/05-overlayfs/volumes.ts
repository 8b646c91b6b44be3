// Chapter 05 — exercise: Docker's -v syntax.
import { CartonError } from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';
import type { VolumeSpec } from '../../solutions/05-overlayfs/volumes.js';
export { Volumes, parseTmpfsSpec, type VolumeInfo, type VolumeSpec } from '../../solutions/05-overlayfs/volumes.js';

/**
 * "/host:/ctr", "/host:/ctr:ro", "name:/ctr[:rw]" → { source, target, readOnly, kind }.
 * A source starting with "/" or "." is a bind mount; anything else names a volume
 * (/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/). Throw a CartonError for anything else, its message
 * starting `invalid volume specification` and saying why: the target must be `absolute`, an
 * unknown `mode`, too many or too few parts, an `invalid volume name`.
 */
export function parseVolumeSpec(spec: string): VolumeSpec {
  // TODO
  void CartonError; void spec;
  todo('parseVolumeSpec', 'exercises/05-overlayfs/volumes.ts');
}
