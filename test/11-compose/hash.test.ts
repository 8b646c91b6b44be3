// Exercise canonical-json: the same configuration, however its keys are ordered, hashes the same.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, configHash } from '@impl/11-compose/index.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,1]},"b":1}');
    expect(canonicalJson({ B: 1, a: 2, _: 3 })).toBe('{"B":1,"_":3,"a":2}');
  });
  it('leaves undefined members out; in arrays they are null, as JSON.stringify writes them', () => {
    expect(canonicalJson({ a: undefined, b: null, c: [undefined, 1] })).toBe('{"b":null,"c":[null,1]}');
  });
  it('scalars are JSON', () => {
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
    expect(canonicalJson(12.5)).toBe('12.5');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });
  it('parses back to the same value', () => {
    const value = { image: 'web', ports: ['80/tcp'], environment: { Z: '1', A: '2' }, nested: { list: [{ y: 1, x: 2 }] } };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
  it('configHash: equal configurations hash equal, any change hashes differently', () => {
    const one = configHash({ image: 'web', environment: { A: '1', B: '2' } });
    expect(one).toBe(configHash({ environment: { B: '2', A: '1' }, image: 'web' }));
    expect(one).not.toBe(configHash({ image: 'web', environment: { A: '1', B: '3' } }));
    expect(one).toBe(createHash('sha256').update('{"environment":{"A":"1","B":"2"},"image":"web"}').digest('hex'));
  });
});
