// Environment variables given on the command line (-e, --env-file), as Docker reads them.
import { UsageError } from './args.js';
import { q } from '../sys/index.js';

/** Docker's env rules: KEY=VALUE sets, a bare KEY copies the host's value (if it has one). */
export function setEnv(env: Map<string, string>, entry: string, source: string): void {
  const eq = entry.indexOf('=');
  if (eq === 0 || entry === '') throw new UsageError(`invalid environment variable ${q(entry)} in ${source}`);
  if (eq < 0) {
    const host = process.env[entry];
    if (host !== undefined) env.set(entry, host);
  } else env.set(entry.slice(0, eq), entry.slice(eq + 1));
}

/** --label KEY=VALUE (or KEY, for an empty value) as an object. */
export function labelsOf(specs: string[] = []): Record<string, string> {
  return Object.fromEntries(specs.map((l) => (l.includes('=') ? [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] : [l, ''])));
}

/** `KEY=VALUE` strings as a map, and back. */
export const envMap = (entries: string[]) => new Map(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
export const envList = (env: Map<string, string>) => [...env].map(([k, v]) => `${k}=${v}`);
