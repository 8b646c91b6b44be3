// A loopback HTTP proxy in front of the test registry that counts what clients ask for:
// how "pull again downloads nothing" is measured, by requests, not by timing.
import { createServer, request, type Server } from 'node:http';

export interface CountingProxy {
  host: string;
  /** Paths of the GET requests seen, in order. */
  requests: string[];
  blobGets(): number;
  close(): Promise<void>;
}

export function countingProxy(targetPort: number): Promise<CountingProxy> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET') requests.push(req.url ?? '');
    const upstream = request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        host: `127.0.0.1:${port}`,
        requests,
        blobGets: () => requests.filter((p) => /\/blobs\/sha256:/.test(p)).length,
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}
