import { constants } from 'node:os';

/** SIGTERM → 15; also accepts "TERM" and "15", as `docker kill -s` does. */
export function signalNumber(name: string): number {
  if (/^\d+$/.test(name)) return Number(name);
  const full = (name.startsWith('SIG') ? name : `SIG${name}`).toUpperCase() as keyof typeof constants.signals;
  const n = constants.signals[full];
  if (n === undefined) throw new Error(`unknown signal ${name}`);
  return n;
}
