// Chapter 10 — environment replacement (the Dockerfile reference, "Environment replacement"):
// in ADD, COPY, ENV, EXPOSE, FROM, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR (and ARG's
// defaults), $NAME and ${NAME} are replaced by the variable's value, or by nothing when it is
// unset; ${NAME:-word} gives word when NAME is unset or empty, ${NAME:+word} gives word when
// it is set and not empty, and nothing otherwise. word may hold variables itself. The escape
// character before $ keeps it literal. RUN, CMD and ENTRYPOINT are left to the shell.
import { CartonError } from '../../lib/sys/errors.js';

// #region expand
export function expand(text: string, vars: Record<string, string>, escape = '\\'): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === escape && text[i + 1] === '$') {
      out += '$';
      i++;
    } else if (c !== '$') {
      out += c;
    } else if (text[i + 1] === '{') {
      // Find the matching brace: word may hold ${…} of its own.
      let depth = 0;
      let end = i + 1;
      for (; end < text.length; end++) {
        if (text[end] === '{') depth++;
        else if (text[end] === '}' && --depth === 0) break;
      }
      if (end >= text.length) throw new CartonError(`missing '}' in ${JSON.stringify(text)}`);
      const inner = text.slice(i + 2, end);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([\s\S]*))?$/.exec(inner);
      if (!m) throw new CartonError(`bad substitution \${${inner}} in ${JSON.stringify(text)}`, 'use ${NAME}, ${NAME:-default} or ${NAME:+alternative}');
      const value = vars[m[1]];
      if (m[2] === '-') out += value ? value : expand(m[3], vars, escape);
      else if (m[2] === '+') out += value ? expand(m[3], vars, escape) : '';
      else out += value ?? '';
      i = end;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
      if (!m) {
        out += '$'; // a lone $ stays
        continue;
      }
      out += vars[m[0]] ?? '';
      i += m[0].length;
    }
  }
  return out;
}
// #endregion expand
