// carton port: a container's published ports (chapter 06).
import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import { findContainer, type ContainerRecord } from '../../runtime/state.js';

interface Published {
  hostIp?: string;
  hostPort: number;
  containerPort: number;
  protocol: string;
}

/** Every published port, each IPv4 one followed by its IPv6 twin (hostIp "::") where it has one, as Docker lists them. */
export function publishedPorts(resources: Record<string, unknown>): Published[] {
  const network = resources.network as { ports?: Published[]; proxied?: Published[] } | undefined;
  const twin = (p: Published) => (network?.proxied ?? []).filter((v) => v.hostPort === p.hostPort && v.protocol === p.protocol && v.containerPort === p.containerPort);
  return (network?.ports ?? []).flatMap((p) => [p, ...twin(p)]);
}

/** host:port as `docker port` writes it: 0.0.0.0:8080, [::]:8080. */
export const hostAddress = (p: Published) => (p.hostIp?.includes(':') ? `[${p.hostIp}]` : p.hostIp || '0.0.0.0') + `:${p.hostPort}`;

/** The PORTS column of ps: "0.0.0.0:8080->80/tcp, :::8080->80/tcp". An exited container holds no port (its rules were removed): Docker shows none. */
export function portsText(c: ContainerRecord): string {
  const ports = c.status !== 'running' && c.status !== 'paused' ? [] : publishedPorts(c.resources);
  return ports.map((p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}->${p.containerPort}/${p.protocol}`).join(', ');
}

export const port: Command = {
  name: 'port',
  summary: 'List port mappings for the container',
  usage: 'CONTAINER [PRIVATE_PORT[/PROTO]]',
  flags: [],
  async run(_flags, operands) {
    requireOperands('port', operands, 1, 'CONTAINER');
    const record = findContainer(operands[0]);
    const [wantPort, wantProto = 'tcp'] = (operands[1] ?? '').split('/');
    for (const p of publishedPorts(record.resources)) {
      if (wantPort && (String(p.containerPort) !== wantPort || p.protocol !== wantProto)) continue;
      process.stdout.write(`${wantPort ? '' : `${p.containerPort}/${p.protocol} -> `}${hostAddress(p)}\n`);
    }
    return 0;
  },
};
