// Registry errors, made readable: the operation and object, the HTTP status, the
// registry's own error code (distribution-spec: {"errors":[{"code":"MANIFEST_UNKNOWN",...}]}),
// and what to try next.
import { CartonError } from '../../lib/sys/index.js';

export class RegistryError extends CartonError {
  constructor(message: string, hint: string | undefined, readonly status?: number, readonly code?: string) {
    super(message, hint);
  }
}

const HINTS: Record<string, string> = {
  MANIFEST_UNKNOWN: 'check the name and tag: the registry has no such tag or digest',
  NAME_UNKNOWN: 'check the repository name: the registry does not know it',
  BLOB_UNKNOWN: 'the registry lost a blob of this image: push the image again',
  UNAUTHORIZED: 'check the name, or log in: carton login REGISTRY',
  DENIED: 'your account may not access this repository: check the name, or carton login with another account',
  TOOMANYREQUESTS: 'the registry limits requests: wait a while, or carton login',
};

function hintForStatus(status: number): string | undefined {
  if (status === 401) return HINTS.UNAUTHORIZED;
  if (status === 403) return HINTS.DENIED;
  if (status === 404) return 'check the name and tag, or carton login if the repository is private';
  if (status === 429) return HINTS.TOOMANYREQUESTS;
  if (status >= 500) return 'the registry failed: try again later';
  return undefined;
}

/** An error from a non-2xx response; reads (and consumes) the body for the error code. */
export async function responseError(operation: string, res: Response): Promise<RegistryError> {
  let code: string | undefined;
  let detail = '';
  try {
    const body = (await res.json()) as { errors?: Array<{ code?: string; message?: string }> };
    code = body.errors?.[0]?.code;
    detail = body.errors?.[0]?.message ?? '';
  } catch {
    // not JSON: the status says it all
  }
  const text = `${operation}: HTTP ${res.status}${code ? ` ${code}` : ''}${detail ? ` (${detail})` : ''}`;
  return new RegistryError(text, (code && HINTS[code]) ?? hintForStatus(res.status), res.status, code);
}

/** An error for a request that got no response at all. */
export function networkError(operation: string, url: string, e: unknown): RegistryError {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (e as Error).message;
  const hint = url.startsWith('https:')
    ? 'is the registry running, and does it speak HTTPS? for a plain-HTTP registry add it to CARTON_INSECURE_REGISTRIES'
    : 'is the registry running at that address?';
  return new RegistryError(`${operation}: ${url}: ${why}`, hint);
}
