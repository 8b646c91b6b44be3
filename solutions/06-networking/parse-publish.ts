// `-p` / `--publish` in Docker's syntax: [hostIP:][hostPort:]containerPort[/protocol], where
// either port may be a range (8080-8082:80-82). A missing host port (-p 80) means "any free
// port", written here as hostPort 0 and chosen when the port is published.
import { NetworkError } from './run.js';

export interface PortMapping {
  hostIp?: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

function bad(spec: string, why: string): NetworkError {
  return new NetworkError(`invalid port mapping ${spec}: ${why}`, 'write [hostIP:][hostPort:]containerPort[/tcp|udp], e.g. -p 8080:80 or -p 127.0.0.1:5353:53/udp');
}

// #region parsePublish
function ports(text: string, spec: string): number[] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw bad(spec, `${text} is not a port or a range of ports`);
  const first = Number(m[1]);
  const last = m[2] === undefined ? first : Number(m[2]);
  if (first < 1 || last > 65535 || last < first) throw bad(spec, `ports go from 1 to 65535, low-high`);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

export function parsePublish(spec: string): PortMapping[] {
  const [mapping, protocol = 'tcp', ...extra] = spec.split('/');
  if (extra.length || (protocol !== 'tcp' && protocol !== 'udp')) throw bad(spec, `the protocol is tcp or udp`);
  const parts = mapping.split(':');
  if (parts.length > 3) throw bad(spec, 'too many ":" (IPv6 host addresses are not supported)');
  const containerPorts = ports(parts[parts.length - 1], spec);
  const hostText = parts.length >= 2 ? parts[parts.length - 2] : '';
  const hostIp = parts.length === 3 ? parts[0] : undefined;
  if (hostIp !== undefined && !/^\d{1,3}(\.\d{1,3}){3}$/.test(hostIp)) throw bad(spec, `${hostIp} is not an IPv4 address`);
  const hostPorts = hostText === '' ? containerPorts.map(() => 0) : ports(hostText, spec);
  if (hostPorts.length !== containerPorts.length) throw bad(spec, 'the host range and the container range must have the same length');
  return containerPorts.map((containerPort, i) => ({
    ...(hostIp ? { hostIp } : {}),
    hostPort: hostPorts[i],
    containerPort,
    protocol,
  }));
}
// #endregion parsePublish
