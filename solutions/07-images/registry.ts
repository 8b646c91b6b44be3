// A client for the OCI distribution API, the HTTP protocol registries speak:
//   GET /v2/                              is this a registry, and may I? (200 or 401)
//   GET /v2/<name>/manifests/<ref>        a manifest or index, by tag or digest
//   GET /v2/<name>/blobs/<digest>         a config or layer (often a redirect to storage)
// and, to push (scope repository:<name>:pull,push):
//   HEAD /v2/<name>/blobs/<digest>        200 if the repository has the blob, 404 if not
//   POST /v2/<name>/blobs/uploads/        202 and a Location to upload to
//   PUT <location>&digest=<digest>        the bytes; 201 once the registry checked the digest
//   PUT /v2/<name>/manifests/<tag>        the manifest, last: only now is the image visible
// A 401 carries a challenge: Bearer (ask the realm for a token for this scope, with the
// user's credentials if any) or Basic (send the credentials with every request).
import { Readable } from 'node:stream';
import { parseAuthChallenge, type Challenge } from './challenge.js';
import { networkError, responseError, RegistryError } from './registry-error.js';
import { MANIFEST_TYPES } from './manifest.js';
import { sha256 } from './digest.js';
import type { Credentials } from './credentials.js';
import type { Digest } from './types.js';

export interface RegistryOptions {
  /** The user's saved credentials for this registry, if any. */
  credentials?: Credentials;
  /** How to read a WWW-Authenticate header (the learner's own, in exercise mode). */
  parseChallenge?: (header: string) => Challenge;
}

/** Docker's rule: plain HTTP only for loopback and for registries the user lists. */
export function registryUrl(registry: string): string {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const insecure = (process.env.CARTON_INSECURE_REGISTRIES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const plain = ['localhost', '127.0.0.1', '::1'].includes(host) || insecure.includes(registry) || insecure.includes(host);
  const endpoint = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
  return `${plain ? 'http' : 'https'}://${endpoint}`;
}

export class Registry {
  readonly base: string;
  private tokens = new Map<string, string>(); // scope → bearer token
  private basic = false;
  private parse: (header: string) => Challenge;

  constructor(readonly registry: string, private options: RegistryOptions = {}) {
    this.base = registryUrl(registry);
    this.parse = options.parseChallenge ?? parseAuthChallenge;
  }

  private authorization(scope: string): string | undefined {
    const creds = this.options.credentials;
    if (this.basic && creds) return 'Basic ' + Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
    const token = this.tokens.get(scope);
    return token ? `Bearer ${token}` : undefined;
  }

  private async send(operation: string, url: string, headers: Record<string, string>, scope: string): Promise<Response> {
    const auth = this.authorization(scope);
    try {
      return await fetch(url, { headers: auth ? { ...headers, Authorization: auth } : headers, redirect: 'follow' });
    } catch (e) {
      throw networkError(operation, url, e);
    }
  }

  /** A GET that answers a challenge once, then fails with the registry's error if not 2xx. */
  async get(operation: string, path: string, scope: string, headers: Record<string, string> = {}): Promise<Response> {
    const url = this.base + path;
    let res = await this.send(operation, url, headers, scope);
    if (res.status === 401 && res.headers.get('www-authenticate')) {
      await this.authenticate(operation, this.parse(res.headers.get('www-authenticate')!), scope);
      await res.body?.cancel();
      res = await this.send(operation, url, headers, scope);
    }
    if (!res.ok) throw await responseError(operation, res);
    return res;
  }

  private async authenticate(operation: string, challenge: Challenge, scope: string): Promise<void> {
    const creds = this.options.credentials;
    if (challenge.scheme === 'basic') {
      if (!creds) throw new RegistryError(`${operation}: HTTP 401 (the registry wants a user name and password)`, `log in first: carton login ${this.registry}`, 401);
      this.basic = true;
      return;
    }
    if (challenge.scheme !== 'bearer' || !challenge.params.realm) {
      throw new RegistryError(`${operation}: unsupported authentication challenge ${JSON.stringify(challenge.scheme)}`, 'carton speaks Bearer (token) and Basic authentication', 401);
    }
    const url = new URL(challenge.params.realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    if (scope) url.searchParams.set('scope', scope);
    const headers: Record<string, string> = {};
    if (creds) headers.Authorization = 'Basic ' + Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
    let res: Response;
    try {
      res = await fetch(url, { headers });
    } catch (e) {
      throw networkError(`${operation}: get a token`, url.href, e);
    }
    if (!res.ok) throw await responseError(`${operation}: get a token from ${url.origin}`, res);
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(`${operation}: the token server ${url.origin} sent no token`, 'the token server is misconfigured');
    this.tokens.set(scope, token);
  }

  /** GET /v2/: is the registry there, and do our credentials (if any) work? */
  async ping(): Promise<void> {
    await (await this.get(`ping registry ${this.registry}`, '/v2/', '')).body?.cancel();
  }

  /** A manifest or index by tag or digest; its digest as the registry names it, checked. */
  async manifest(repository: string, reference: string): Promise<{ data: Buffer; contentType: string; digest: Digest }> {
    const res = await this.get(`get manifest ${this.registry}/${repository}:${reference}`.replace(/:sha256:/, '@sha256:'),
      `/v2/${repository}/manifests/${reference}`, `repository:${repository}:pull`, { Accept: MANIFEST_TYPES.join(', ') });
    const data = Buffer.from(await res.arrayBuffer());
    return { data, contentType: res.headers.get('content-type') ?? '', digest: sha256(data) };
  }

  /** A blob's bytes, streamed (the caller verifies them while storing). */
  async blob(repository: string, digest: Digest): Promise<AsyncIterable<Uint8Array>> {
    const res = await this.get(`get blob ${this.registry}/${repository}@${digest}`, `/v2/${repository}/blobs/${digest}`, `repository:${repository}:pull`);
    if (!res.body) throw new RegistryError(`get blob ${digest}: empty response`, undefined, res.status);
    return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  }

  // ---- push ----------------------------------------------------------------------------

  /** Any method; a challenge answered once. `body` is a function so that the retry can send it again. */
  private async request(operation: string, method: string, url: string, scope: string, headers: Record<string, string>, body?: () => Buffer | AsyncIterable<Uint8Array>): Promise<Response> {
    const send = async () => {
      const auth = this.authorization(scope);
      const init = { method, headers: auth ? { ...headers, Authorization: auth } : headers, body: body?.(), duplex: 'half', redirect: 'follow' };
      try {
        return await fetch(url, init as RequestInit);
      } catch (e) {
        throw networkError(operation, url, e);
      }
    };
    let res = await send();
    if (res.status === 401 && res.headers.get('www-authenticate')) {
      await res.body?.cancel();
      await this.authenticate(operation, this.parse(res.headers.get('www-authenticate')!), scope);
      res = await send();
    }
    return res;
  }

  /** HEAD a blob: is it in the repository already? */
  async blobExists(repository: string, digest: Digest): Promise<boolean> {
    const operation = `check blob ${this.registry}/${repository}@${digest}`;
    const res = await this.request(operation, 'HEAD', `${this.base}/v2/${repository}/blobs/${digest}`, pushScope(repository), {});
    if (res.status === 404) return false;
    if (res.ok) return true;
    // A HEAD answer has no body, hence no error code; a token's missing rights are named in the challenge.
    const error = await responseError(operation, res);
    const why = res.headers.get('www-authenticate')?.match(/error="([^"]+)"/)?.[1];
    throw why ? new RegistryError(`${error.message} (${why})`, error.hint, error.status) : error;
  }

  /** Upload a blob in one PUT (monolithic); `body` streams its `size` bytes. The registry checks the digest. */
  async upload(repository: string, digest: Digest, size: number, body: () => AsyncIterable<Uint8Array>): Promise<void> {
    const scope = pushScope(repository);
    const operation = `push blob ${this.registry}/${repository}@${digest}`;
    const start = await this.request(`${operation}: start upload`, 'POST', `${this.base}/v2/${repository}/blobs/uploads/`, scope, { 'Content-Length': '0' });
    if (start.status !== 202) throw await responseError(`${operation}: start upload`, start);
    await start.body?.cancel();
    const location = start.headers.get('location');
    if (!location) throw new RegistryError(`${operation}: the registry gave no upload location`, 'the registry does not follow the distribution spec', start.status);
    // Relative or absolute; its query (the registry's upload state) is kept, the digest appended.
    const url = new URL(location, this.base).href;
    const put = `${url}${url.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
    const res = await this.request(operation, 'PUT', put, scope, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) }, body);
    if (res.status !== 201) throw await responseError(operation, res);
    await res.body?.cancel();
  }

  /** PUT a manifest under a tag; the digest the registry computed (Docker-Content-Digest), if it says. */
  async putManifest(repository: string, tag: string, data: Buffer, mediaType: string): Promise<Digest | undefined> {
    const operation = `push manifest ${this.registry}/${repository}:${tag}`;
    const res = await this.request(operation, 'PUT', `${this.base}/v2/${repository}/manifests/${tag}`, pushScope(repository), { 'Content-Type': mediaType }, () => data);
    if (res.status !== 201) throw await responseError(operation, res);
    await res.body?.cancel();
    return res.headers.get('docker-content-digest') ?? undefined;
  }
}

/** The token scope a push needs: HEAD and GET are pull, uploads and manifests push. */
export function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}
