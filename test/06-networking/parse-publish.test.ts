import { describe, expect, it } from 'vitest';
import { parsePublish } from '@impl/06-networking/index.js';

describe('parsePublish', () => {
  it('reads hostPort:containerPort, tcp by default', () => {
    expect(parsePublish('8080:80')).toEqual([{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }]);
  });

  it('reads a host address and a protocol', () => {
    expect(parsePublish('127.0.0.1:5353:53/udp')).toEqual([{ hostIp: '127.0.0.1', hostPort: 5353, containerPort: 53, protocol: 'udp' }]);
  });

  it('leaves the host port to be chosen (0) when it is missing', () => {
    expect(parsePublish('80')).toEqual([{ hostPort: 0, containerPort: 80, protocol: 'tcp' }]);
    expect(parsePublish('127.0.0.1::80')).toEqual([{ hostIp: '127.0.0.1', hostPort: 0, containerPort: 80, protocol: 'tcp' }]);
  });

  it('expands ranges pairwise', () => {
    expect(parsePublish('8080-8081:80-81/tcp')).toEqual([
      { hostPort: 8080, containerPort: 80, protocol: 'tcp' },
      { hostPort: 8081, containerPort: 81, protocol: 'tcp' },
    ]);
  });

  it.each(['', 'http', '0:80', '8080:70000', '80/sctp', '1.2.3:80:80', '8080-8082:80-81', '90-80:90-80', 'a:b:c:d'])(
    'rejects %j with a hint that shows the syntax',
    (spec) => {
      expect(() => parsePublish(spec)).toThrow(expect.objectContaining({ hint: expect.stringContaining('containerPort') }));
    },
  );
});
