// --expose and -P: exposed ports, and what -P publishes.
import { describe, expect, it } from 'vitest';
import { parseExpose, publishAllPorts } from '@impl/06-networking/index.js';

describe('exposed ports', () => {
  it('reads PORT[/proto] and ranges, tcp by default', () => {
    expect(parseExpose('80')).toEqual(['80/tcp']);
    expect(parseExpose('53/udp')).toEqual(['53/udp']);
    expect(parseExpose('8000-8002/tcp')).toEqual(['8000/tcp', '8001/tcp', '8002/tcp']);
  });

  it('refuses what is not a port, with the syntax as a hint', () => {
    for (const bad of ['8080:80', '0', '70000', '90-80', 'http', '80/sctp']) {
      expect(() => parseExpose(bad)).toThrow(expect.objectContaining({ name: 'NetworkError', hint: expect.stringContaining('--expose') }));
    }
  });

  it('-P maps every exposed port once to host port 0 (any free port), skipping those -p maps', () => {
    const explicit = [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' as const }];
    expect(publishAllPorts(['80/tcp', '443/tcp', '53/udp', '443/tcp'], explicit)).toEqual([
      { hostPort: 0, containerPort: 443, protocol: 'tcp' },
      { hostPort: 0, containerPort: 53, protocol: 'udp' },
    ]);
    expect(publishAllPorts([], [])).toEqual([]);
  });
});
