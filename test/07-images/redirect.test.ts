// Registries rarely serve layers themselves: Docker Hub answers a blob GET with a redirect to
// a storage host (a CDN, S3) and a signed URL. The credentials for the registry must not
// follow the redirect to that other origin (a leak, and S3 refuses a request that carries
// both a signature and an Authorization header). Here a loopback front demands Basic
// credentials and redirects blobs to a loopback "storage" on another port, which records
// what it was sent and serves the bytes from the real registry behind.
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStore, pull } from '@impl/07-images/index.js';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';
import { makeFixture, type Fixture } from './fixture.js';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

function forward(port: number, path: string, method: string, headers: IncomingHttpHeaders, res: import('node:http').ServerResponse): void {
  const { authorization: _dropped, ...rest } = headers; // the registry behind wants none
  const upstream = request({ host: '127.0.0.1', port, method, path, headers: { ...rest, host: `127.0.0.1:${port}` } }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', () => res.destroy());
  upstream.end();
}

describe.skipIf(!isRoot)('blobs redirected to another origin', () => {
  let fx: Fixture;
  let front: Server;
  let storage: Server;
  let frontPort = 0;
  const storageSaw: Array<{ path: string; authorization?: string }> = [];
  const root = tempDir('carton-redirect-');

  beforeAll(async () => {
    fx = await makeFixture();
    storage = createServer((req, res) => {
      storageSaw.push({ path: req.url ?? '', authorization: req.headers.authorization });
      forward(fx.registry.port, new URL(req.url ?? '/', 'http://x').searchParams.get('path') ?? '/', 'GET', req.headers, res);
    });
    const storagePort = await listen(storage);
    front = createServer((req, res) => {
      if (req.headers.authorization !== `Basic ${Buffer.from('ann:pw').toString('base64')}`) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="front"', 'content-type': 'application/json' });
        res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
        return;
      }
      if (req.method === 'GET' && /\/blobs\/sha256:/.test(req.url ?? '')) {
        res.writeHead(307, { location: `http://127.0.0.1:${storagePort}/signed?sig=abc&path=${encodeURIComponent(req.url ?? '')}` });
        res.end();
        return;
      }
      forward(fx.registry.port, req.url ?? '/', req.method ?? 'GET', req.headers, res);
    });
    frontPort = await listen(front);
  }, 120_000);

  afterAll(async () => {
    for (const s of [front, storage]) {
      s?.closeAllConnections();
      await new Promise((r) => (s ? s.close(r) : r(undefined)));
    }
    await fx?.cleanup();
    removeDir(root);
  });

  it('pulls through the redirect, and the storage host never sees the registry credentials', async () => {
    const store = new ImageStore(join(root, 'images'));
    const image = await pull(store, `127.0.0.1:${frontPort}/app:1`, { credentials: () => ({ username: 'ann', password: 'pw' }) });
    expect(image.id).toBe(fx.images.app.platforms[0].configDigest);
    // The config and every layer came from the storage host, none with an Authorization.
    expect(storageSaw.map((s) => s.path)).toHaveLength(1 + fx.images.app.platforms[0].layers.length);
    expect(storageSaw.filter((s) => s.authorization !== undefined)).toEqual([]);
  });
});
