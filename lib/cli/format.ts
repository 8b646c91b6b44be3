// Docker's human-readable times and tables: "Up 3 minutes", "Exited (0) 5 minutes ago".
import type { ContainerRecord } from '../runtime/state.js';

/** "Less than a second", "3 seconds", "About a minute", "5 minutes", "About an hour", "2 hours", "3 days". */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 1) return 'Less than a second';
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const m = Math.floor(s / 60);
  if (m === 1) return 'About a minute';
  if (m < 60) return `${m} minutes`;
  const h = Math.floor(m / 60);
  if (h === 1) return 'About an hour';
  if (h < 48) return `${h} hours`;
  const d = Math.floor(h / 24);
  if (d < 14) return `${d} days`;
  return `${Math.floor(d / 7)} weeks`;
}

export function since(iso: string | undefined, now = Date.now()): string {
  return iso ? `${humanDuration(now - Date.parse(iso))} ago` : '';
}

export function statusText(c: ContainerRecord, now = Date.now()): string {
  switch (c.status) {
    case 'running':
      return `Up ${humanDuration(now - Date.parse(c.started ?? c.created))}${healthText(c)}`;
    case 'paused':
      return `Up ${humanDuration(now - Date.parse(c.started ?? c.created))} (Paused)`;
    case 'restarting':
      return `Restarting (${c.exitCode ?? 255}) ${since(c.finished, now)}`;
    case 'exited':
      return `Exited (${c.exitCode ?? 255}) ${since(c.finished, now)}`;
    case 'dead':
      return 'Dead';
    default:
      return 'Created';
  }
}

/** Docker's health suffix: " (healthy)", " (unhealthy)", " (health: starting)". */
function healthText(c: ContainerRecord): string {
  if (!c.healthcheck || !c.health) return '';
  return c.health.status === 'starting' ? ' (health: starting)' : ` (${c.health.status})`;
}

/** Columns padded to the widest cell, three spaces apart, as `docker ps` prints them. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] + 3))).join('').trimEnd()).join('\n') + '\n';
}

export function quoteCommand(argv: string[], width = 20): string {
  const text = argv.join(' ');
  return `"${text.length > width ? text.slice(0, width - 1) + '…' : text}"`;
}
