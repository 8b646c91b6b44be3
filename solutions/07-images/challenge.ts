// A registry that wants credentials answers 401 with a challenge (RFC 7235):
//   WWW-Authenticate: Bearer realm="https://auth.example/token",service="registry.example",scope="repository:app:pull"
//   WWW-Authenticate: Basic realm="Registry Realm"
// The scheme says how to authenticate; the parameters say where to get a token and for what.

export interface Challenge {
  /** Lowercase: "bearer" or "basic" (others are returned, and refused by the client). */
  scheme: string;
  /** Parameter names lowercased; values unquoted ("\x" unescaped). */
  params: Record<string, string>;
}

// #region parseAuthChallenge
/** Parse one WWW-Authenticate challenge: a scheme, then name=value pairs, values maybe quoted. */
export function parseAuthChallenge(header: string): Challenge {
  const text = header.trim();
  const space = text.search(/\s/);
  const scheme = (space < 0 ? text : text.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  let i = space < 0 ? text.length : space;
  while (i < text.length) {
    // Skip separators, then read a name up to "=".
    while (i < text.length && /[\s,]/.test(text[i])) i++;
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const name = text.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    let value = '';
    if (text[i] === '"') {
      // A quoted string: ends at the next unescaped quote; it may hold commas.
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
      }
      i++; // the closing quote
    } else {
      const end = text.indexOf(',', i);
      value = text.slice(i, end < 0 ? text.length : end).trim();
      i = end < 0 ? text.length : end;
    }
    params[name] = value;
  }
  return { scheme, params };
}
// #endregion parseAuthChallenge
