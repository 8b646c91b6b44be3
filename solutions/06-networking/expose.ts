// Exposed ports: what an image declares it listens on (EXPOSE 80 in a Dockerfile, the
// ExposedPorts of its config) plus `--expose`. Exposing publishes nothing by itself; `-P`
// (--publish-all) publishes every exposed port on a free host port the kernel picks.
import type { PortMapping } from './parse-publish.js';
import { NetworkError } from './run.js';

/** `--expose 80`, `--expose 8000-8002/udp` → ["80/tcp"], ["8000/udp", "8001/udp", "8002/udp"]. */
export function parseExpose(spec: string): string[] {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/.exec(spec);
  const first = Number(m?.[1]);
  const last = m?.[2] === undefined ? first : Number(m[2]);
  if (!m || first < 1 || last > 65535 || last < first) {
    throw new NetworkError(`invalid exposed port ${spec}`, 'write PORT[/tcp|udp] or a range FIRST-LAST[/tcp|udp], e.g. --expose 80 or --expose 5353/udp');
  }
  return Array.from({ length: last - first + 1 }, (_, i) => `${first + i}/${m[3] ?? 'tcp'}`);
}

/**
 * -P: one mapping to host port 0 ("any free port") per exposed port that `explicit` (-p)
 * does not publish already.
 */
export function publishAllPorts(exposed: string[], explicit: PortMapping[]): PortMapping[] {
  const mapped = new Set(explicit.map((p) => `${p.containerPort}/${p.protocol}`));
  return [...new Set(exposed.flatMap(parseExpose))]
    .filter((key) => !mapped.has(key))
    .map((key) => {
      const [port, protocol] = key.split('/');
      return { hostPort: 0, containerPort: Number(port), protocol: protocol as PortMapping['protocol'] };
    });
}
