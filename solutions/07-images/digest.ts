// Content addressing: every blob of an image (manifest, config, layer) is named by the
// SHA-256 of its bytes, "sha256:<64 hex>". A name that is a hash cannot lie: whoever sent
// the bytes, we hash them ourselves and compare before we trust them.
import { createHash, type Hash } from 'node:crypto';
import { CartonError } from '../../lib/sys/index.js';
import type { Descriptor, Digest } from './types.js';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Bytes did not match the digest (or size) that names them. */
export class DigestMismatchError extends CartonError {
  constructor(readonly what: string, readonly expected: string, readonly actual: string) {
    super(`verify ${what}: expected ${expected}, got ${actual}`,
      'the data was corrupted in transit or in the registry\'s storage: pull again, and if it persists the image in the registry is damaged');
  }
}

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

/** Check that `value` is a sha256 digest we can use as a file name; return it. */
export function checkDigest(value: string, what = 'digest'): Digest {
  if (!isDigest(value)) {
    const algorithm = value.includes(':') ? value.split(':')[0] : '';
    throw new CartonError(`parse ${what} ${JSON.stringify(value)}: not a sha256 digest`,
      algorithm && algorithm !== 'sha256' ? `carton knows only sha256, not ${algorithm}` : 'a digest looks like sha256:<64 lowercase hex digits>');
  }
  return value;
}

/** The 64 hex digits of a digest: the blob's file name. */
export function hexOf(digest: Digest): string {
  return checkDigest(digest).slice('sha256:'.length);
}

export function sha256(data: Buffer | string): Digest {
  return 'sha256:' + createHash('sha256').update(data).digest('hex');
}

/** Hash data as it streams past, counting bytes. */
export class Hasher {
  private hash: Hash = createHash('sha256');
  size = 0;

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.size += chunk.length;
  }

  digest(): Digest {
    return 'sha256:' + this.hash.digest('hex');
  }
}

/** Throw unless the bytes seen match the descriptor: size first, then digest. A size < 0 is not checked. */
export function verify(expected: Pick<Descriptor, 'digest' | 'size'>, actual: { digest: Digest; size: number }, what = 'blob'): void {
  if (expected.size >= 0 && actual.size !== expected.size) {
    throw new DigestMismatchError(`${what} ${expected.digest}`, `${expected.size} bytes`, `${actual.size} bytes`);
  }
  if (actual.digest !== expected.digest) throw new DigestMismatchError(what, expected.digest, actual.digest);
}
