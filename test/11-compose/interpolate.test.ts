// Exercise interpolate: ${VARIABLES} in a compose file, by the Compose Specification's rules.
import { describe, expect, it } from 'vitest';
import { interpolate, interpolateTree } from '@impl/11-compose/index.js';

const env = { NAME: 'shop', EMPTY: '', PORT: '8080' };

describe('interpolate', () => {
  it('$NAME and ${NAME}; an unset one is empty', () => {
    expect(interpolate('$NAME-${PORT}', env)).toBe('shop-8080');
    expect(interpolate('a${MISSING}b $MISSING.', env)).toBe('ab .');
    expect(interpolate('$NAME_x ${NAME}_x', env)).toBe(' shop_x');
  });
  it(':- and - give a default: when unset or empty, or only when unset', () => {
    expect(interpolate('${MISSING:-d} ${EMPTY:-d} ${NAME:-d}', env)).toBe('d d shop');
    expect(interpolate('${MISSING-d}|${EMPTY-d}|${NAME-d}', env)).toBe('d||shop');
  });
  it(':+ and + give a replacement: when set and not empty, or when set', () => {
    expect(interpolate('${NAME:+yes}|${EMPTY:+yes}|${MISSING:+yes}', env)).toBe('yes||');
    expect(interpolate('${NAME+yes}|${EMPTY+yes}|${MISSING+yes}', env)).toBe('yes|yes|');
  });
  it('the word is interpolated too, braces nested', () => {
    expect(interpolate('${MISSING:-${NAME}:${PORT:-80}}', env)).toBe('shop:8080');
    expect(interpolate('${MISSING:-${ALSO:-deep}}', env)).toBe('deep');
  });
  it(':? and ? stop with an error naming the variable and the message', () => {
    expect(() => interpolate('${MISSING:?set it please}', env)).toThrow(/MISSING.*set it please/);
    expect(() => interpolate('${EMPTY:?needed}', env)).toThrow(/EMPTY.*needed/);
    expect(interpolate('${EMPTY?needed}', env)).toBe('');
    expect(() => interpolate('${MISSING?}', env)).toThrow(/MISSING/);
    expect(interpolate('${NAME:?x}', env)).toBe('shop');
  });
  it('$$ is a literal $, and a $ that starts no name stays', () => {
    expect(interpolate('cost: $$5 and $$NAME', env)).toBe('cost: $5 and $NAME');
    expect(interpolate('a $ b $1 c$', env)).toBe('a $ b $1 c$');
  });
  it('a ${ that never closes, or of another shape, is an error', () => {
    expect(() => interpolate('${NAME', env)).toThrow(/interpolation/);
    expect(() => interpolate('${NA ME}', env)).toThrow(/interpolation/);
    expect(() => interpolate('${}', env)).toThrow(/interpolation/);
  });
  it('the tree: every string value, with the path of a failing one; keys stay as written', () => {
    const tree = { services: { web: { image: 'app:${TAG:-latest}', ports: ['${PORT}:80', 80], '${NAME}': 'key' } } };
    expect(interpolateTree(tree, env)).toEqual({ services: { web: { image: 'app:latest', ports: ['8080:80', 80], '${NAME}': 'key' } } });
    expect(() => interpolateTree({ services: { web: { ports: ['1', '${X:?no port}'] } } }, env)).toThrow(/services\.web\.ports\[1\].*X.*no port/);
  });
});
