// Exercise expand: the Dockerfile's environment replacement.
import { describe, expect, it } from 'vitest';
import { expand } from '@impl/10-build/index.js';

const vars = { NAME: 'app', EMPTY: '', VERSION: '1.2' };

describe('expand', () => {
  it('$NAME and ${NAME}; unset is empty', () => {
    expect(expand('/srv/$NAME/v${VERSION}', vars)).toBe('/srv/app/v1.2');
    expect(expand('${NAME}_x $NAME_x', vars)).toBe('app_x ');
    expect(expand('a${MISSING}b', vars)).toBe('ab');
  });
  it('${NAME:-word} when unset or empty; ${NAME:+word} when set and not empty', () => {
    expect(expand('${MISSING:-def} ${EMPTY:-def} ${NAME:-def}', vars)).toBe('def def app');
    expect(expand('${NAME:+yes} ${EMPTY:+yes}|${MISSING:+yes}', vars)).toBe('yes |');
  });
  it('word may hold variables', () => {
    expect(expand('${MISSING:-$NAME-${VERSION}}', vars)).toBe('app-1.2');
  });
  it('the escape character keeps a $; a lone $ stays', () => {
    expect(expand('\\$NAME costs $5 and $', vars)).toBe('$NAME costs $5 and $');
    expect(expand('`$NAME', vars, '`')).toBe('$NAME');
  });
  it('a malformed ${…} is an error', () => {
    expect(() => expand('${NAME', vars)).toThrow(/missing '}'/);
    expect(() => expand('${NAME:?x}', vars)).toThrow(/bad substitution/);
  });
});
