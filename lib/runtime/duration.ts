// Durations as Docker takes them (Go's time.ParseDuration): "30s", "1m30s", "1.5h", "250ms",
// "0". Used by --health-*, HEALTHCHECK and Compose's healthcheck and stop_grace_period.
import { CartonError, q } from '../sys/index.js';

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds in a Go duration; `what` names the flag or key in the error. */
export function parseDuration(text: string, what = 'duration'): number {
  const value = text.trim();
  if (value === '0') return 0;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < value.length) {
    part.lastIndex = at;
    const m = part.exec(value);
    if (!m) throw new CartonError(`invalid ${what} ${q(text)}: expected a duration such as 30s, 1m30s or 500ms`);
    total += Number(m[1]) * UNITS[m[2]];
    at = part.lastIndex;
  }
  if (value === '') throw new CartonError(`invalid ${what} '': expected a duration such as 30s, 1m30s or 500ms`);
  return total;
}

/** A duration as Go prints it, for Docker's output: 1m30s, 500ms, 0s. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}
