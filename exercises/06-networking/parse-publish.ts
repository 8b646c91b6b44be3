// Chapter 06 — exercise: read `-p` in Docker's syntax.
import { todo } from '../../lib/todo.js';
export type { PortMapping } from '../../solutions/06-networking/parse-publish.js';
import type { PortMapping } from '../../solutions/06-networking/parse-publish.js';

/**
 * [hostIP:][hostPort:]containerPort[/tcp|udp] → one mapping per port; either port may be a
 * range (8080-8081:80-81) and the two ranges must have the same length. A missing host port
 * is 0 ("any free port"), a missing protocol is tcp. Bad input throws a NetworkError
 * (from solutions/06-networking/run.js) with a hint showing the syntax.
 */
export function parsePublish(spec: string): PortMapping[] {
  // TODO: split off "/proto", then split on ":" — the last part is always the container port.
  void spec;
  todo('parsePublish', 'exercises/06-networking/parse-publish.ts');
}
