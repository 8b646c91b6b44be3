// Chapter 11: interpolation, the Compose Specification's rules. Every string value of a
// compose file may name variables of the shell's environment (or of the .env file):
//   $NAME, ${NAME}            the value, or '' when unset
//   ${NAME:-word} ${NAME-word} word when NAME is unset or empty (:-), or unset (-)
//   ${NAME:?err}  ${NAME?err}  an error (err) when NAME is unset or empty (:?), or unset (?)
//   ${NAME:+word} ${NAME+word} word when NAME is set and not empty (:+), or set (+)
//   $$                        a literal $
// `word` and `err` may hold variables too. The YAML is parsed first and the strings are
// interpolated after, so a value can never change the file's structure.
import { CartonError } from '../../lib/sys/errors.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Where `${` at `open` ends: the index of its matching `}` (nested braces count), or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** One `${…}` body, such as `NAME:-word`. */
function braced(body: string, env: Record<string, string | undefined>): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
  if (!m) throw new CartonError(`invalid interpolation format for \${${body}}`, 'expected ${NAME}, ${NAME:-default}, ${NAME:?error} or ${NAME:+replacement}; write $$ for a literal $');
  const [, name, op, word = ''] = m;
  const value = env[name];
  const set = value !== undefined;
  const full = set && value !== '';
  switch (op) {
    case undefined:
      return value ?? '';
    case ':-':
      return full ? value : interpolate(word, env);
    case '-':
      return set ? value : interpolate(word, env);
    case ':+':
      return full ? interpolate(word, env) : '';
    case '+':
      return set ? interpolate(word, env) : '';
    default: {
      // :? and ?
      if (op === ':?' ? full : set) return value!;
      const message = interpolate(word, env);
      throw new CartonError(`required variable ${name} is missing a value${message ? `: ${message}` : ''}`, `set ${name} in the environment or in the .env file`);
    }
  }
}

/** `text` with its variables replaced from `env`. */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '{') {
      const end = closing(text, i);
      if (end < 0) throw new CartonError(`invalid interpolation format for ${text.slice(i)}: no closing }`, 'write $$ for a literal $');
      out += braced(text.slice(i + 2, end), env);
      i = end;
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (name) {
        out += env[name] ?? '';
        i += name.length;
      } else out += '$'; // a $ that starts no name stays
    }
  }
  return out;
}

/**
 * Every string in a parsed compose file, interpolated; an error names the key's path
 * (services.web.ports[0]). Keys are not interpolated, as Compose's are not.
 */
export function interpolateTree(value: unknown, env: Record<string, string | undefined>, path = '', one: typeof interpolate = interpolate): unknown {
  if (typeof value === 'string') {
    try {
      return one(value, env);
    } catch (error) {
      if (error instanceof CartonError) throw new CartonError(`${path}: ${error.message}`, error.hint);
      throw error;
    }
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateTree(v, env, `${path}[${i}]`, one));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateTree(v, env, path ? `${path}.${k}` : k, one)]));
  }
  return value;
}
