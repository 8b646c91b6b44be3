// Volumes: data that bypasses the union filesystem. A volume is a plain directory on the
// host bind-mounted into the container, so writes go straight to it, not to the container's
// upper layer, and outlive the container. Named volumes live under <root>/volumes/NAME/_data
// as in Docker; `-v /host/path:/ctr` binds any host directory instead.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CartonError } from '../../lib/sys/index.js';

export interface VolumeInfo {
  name: string;
  createdAt: string;
  labels: Record<string, string>;
  mountpoint: string;
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export class Volumes {
  constructor(private readonly root: string) {}

  private dir(name: string): string {
    if (!NAME.test(name)) throw new CartonError(`invalid volume name ${JSON.stringify(name)}`, 'use letters, digits, "_", "." and "-", starting with a letter or digit, at least two characters');
    return join(this.root, 'volumes', name);
  }

  path(name: string): string {
    return join(this.dir(name), '_data');
  }

  /** Create a volume (as Docker does, creating one that exists returns it unchanged). */
  create(name: string, opts: { labels?: Record<string, string> } = {}): VolumeInfo {
    const dir = this.dir(name);
    if (existsSync(join(dir, 'meta.json'))) return this.inspect(name);
    mkdirSync(join(dir, '_data'), { recursive: true, mode: 0o755 });
    const meta = { createdAt: new Date().toISOString(), labels: opts.labels ?? {} };
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta) + '\n');
    return this.inspect(name);
  }

  inspect(name: string): VolumeInfo {
    const dir = this.dir(name);
    let meta: { createdAt: string; labels: Record<string, string> };
    try {
      meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    } catch {
      throw new CartonError(`no such volume: ${name}`, 'see `carton volume ls`');
    }
    return { name, createdAt: meta.createdAt, labels: meta.labels, mountpoint: join(dir, '_data') };
  }

  list(): VolumeInfo[] {
    const dir = join(this.root, 'volumes');
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter((n) => NAME.test(n) && existsSync(join(dir, n, 'meta.json'))).sort().map((n) => this.inspect(n));
  }

  /** Remove a volume and its data. `inUse` names the container using it, or returns false/undefined. */
  remove(name: string, inUse: (name: string) => boolean | string | undefined): void {
    this.inspect(name);
    const user = inUse(name);
    if (user) throw new CartonError(`volume ${name} is in use by container ${user === true ? '(unknown)' : user}`, 'remove the container first (`carton rm`)');
    rmSync(this.dir(name), { recursive: true, force: true });
  }
}

export interface VolumeSpec {
  source: string;
  target: string;
  readOnly: boolean;
  kind: 'bind' | 'volume';
}

// #region parseVolumeSpec
/**
 * Docker's -v: "/host:/ctr", "/host:/ctr:ro", "name:/ctr[:rw]". A source that starts with
 * "/" (or ".") is a host path to bind; otherwise it names a volume.
 */
export function parseVolumeSpec(spec: string): VolumeSpec {
  const parts = spec.split(':');
  const bad = (why: string) => new CartonError(`invalid volume specification ${JSON.stringify(spec)}: ${why}`, 'use -v /host/path:/container/path[:ro] or -v name:/container/path');
  if (parts.length < 2 || parts.length > 3) throw bad('expected SOURCE:TARGET[:MODE]');
  const [source, target, mode = 'rw'] = parts;
  if (!source) throw bad('empty source');
  if (!target.startsWith('/')) throw bad('the target must be an absolute path');
  if (mode !== 'ro' && mode !== 'rw') throw bad(`unknown mode ${JSON.stringify(mode)}`);
  const kind = source.startsWith('/') || source.startsWith('.') ? 'bind' : 'volume';
  if (kind === 'volume' && !NAME.test(source)) throw bad(`invalid volume name ${JSON.stringify(source)}`);
  return { source, target, readOnly: mode === 'ro', kind };
}
// #endregion parseVolumeSpec

/** Docker's --tmpfs: "/ctr[:options]", e.g. "/run:rw,size=64m,mode=1777". */
export function parseTmpfsSpec(spec: string): { target: string; options: string } {
  const colon = spec.indexOf(':');
  const target = colon === -1 ? spec : spec.slice(0, colon);
  const options = colon === -1 ? '' : spec.slice(colon + 1);
  if (!target.startsWith('/')) throw new CartonError(`invalid tmpfs specification ${JSON.stringify(spec)}: the target must be an absolute path`, 'use --tmpfs /path[:size=64m,mode=1777]');
  return { target, options };
}
