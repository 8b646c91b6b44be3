// `--filter KEY=VALUE` (ps, network ls, volume ls), with Docker's rules: values of one key are
// alternatives (any may match), except label, whose values must all match; different keys
// must all match. The keys Docker documents for `docker ps`, but
// health (carton has no health checks at run time yet) and publish/expose.
import { CartonError, q } from '../sys/index.js';
import type { ContainerRecord } from './state.js';

const KEYS = ['id', 'name', 'label', 'status', 'ancestor', 'exited', 'network', 'volume', 'before', 'since', 'health'];
const STATUSES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

export type Filters = Map<string, string[]>;

/** Parse the --filter flags; a key the command does not know (ps's by default) is an error, as Docker's. */
export function parseFilters(specs: string[], keys = KEYS): Filters {
  const filters: Filters = new Map();
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new CartonError(`bad format of filter (expected name=value): ${q(spec)}`);
    const key = spec.slice(0, eq).toLowerCase();
    const value = spec.slice(eq + 1);
    if (!keys.includes(key)) throw new CartonError(`invalid filter ${q(key)}`, `the filters are: ${keys.join(', ')}`);
    if (key === 'status' && !STATUSES.includes(value)) throw new CartonError(`invalid filter 'status=${value}'`, `a status is one of: ${STATUSES.join(', ')}`);
    if (key === 'exited' && !/^-?\d+$/.test(value)) throw new CartonError(`invalid filter 'exited=${value}': expected an exit code`);
    filters.set(key, [...(filters.get(key) ?? []), value]);
  }
  return filters;
}

/** Does the filter ask for stopped containers too (so -a is implied, as in Docker)? */
export function wantsAll(filters: Filters): boolean {
  return filters.has('exited') || (filters.get('status') ?? []).some((s) => s !== 'running' && s !== 'paused' && s !== 'restarting');
}

/** The containers that pass every key's filter; `all` is every container (for before/since). */
export function applyFilters(containers: ContainerRecord[], filters: Filters, all: ContainerRecord[]): ContainerRecord[] {
  const find = (ref: string) => {
    const c = all.find((x) => x.name === ref || x.id.startsWith(ref));
    if (!c) throw new CartonError(`no such container: ${ref}`);
    return c;
  };
  const tests: Record<string, (c: ContainerRecord, v: string) => boolean> = {
    id: (c, v) => c.id.startsWith(v),
    name: (c, v) => new RegExp(v).test(c.name),
    label: (c, v) => hasLabel(c.labels, v),
    status: (c, v) => c.status === v,
    ancestor: (c, v) => c.image === v || c.image === `${v}:latest` || (!!c.imageId && (c.imageId === v || c.imageId.slice(7).startsWith(v.replace(/^sha256:/, '')))),
    exited: (c, v) => c.status === 'exited' && (c.exitCode ?? 0) === Number(v),
    network: (c, v) => (c.network ?? 'bridge') === v || (c.networks ?? []).some((n) => n.name === v),
    volume: (c, v) => c.mounts.some((m) => m.source === v || m.target === v),
    before: (c, v) => c.created < find(v).created,
    since: (c, v) => c.created > find(v).created,
    health: (c, v) => (c.healthcheck && c.health ? c.health.status : 'none') === v,
  };
  return containers.filter((c) => matchesFilters(c, filters, tests));
}

/** Does `item` pass every key's filter, by `tests` (one per key `filters` may hold)? */
export function matchesFilters<T>(item: T, filters: Filters, tests: Record<string, (item: T, value: string) => boolean>): boolean {
  return [...filters].every(([key, values]) => (key === 'label' ? values.every((v) => tests[key](item, v)) : values.some((v) => tests[key](item, v))));
}

/** A label filter's value, "KEY" or "KEY=VALUE", against an object's labels. */
export function hasLabel(labels: Record<string, string> | undefined, value: string): boolean {
  const [key, wanted] = value.includes('=') ? [value.slice(0, value.indexOf('=')), value.slice(value.indexOf('=') + 1)] : [value, undefined];
  return labels?.[key] !== undefined && (wanted === undefined || labels[key] === wanted);
}
