// A lease protects what a pull in progress has written from gc (in this or another
// process): the blobs and layers are in the store but no image names them yet. A lease is
// a file under leases/ named after its process; leases of dead processes are ignored.
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { isAlive, startTime } from './lock.js';
import type { Digest } from './types.js';

export class Lease {
  readonly blobs = new Set<Digest>();
  readonly layers = new Set<Digest>();

  constructor(private path: string) {
    this.save();
  }

  add(kind: 'blob' | 'layer', digest: Digest): void {
    (kind === 'blob' ? this.blobs : this.layers).add(digest);
    this.save();
  }

  private save(): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify({ blobs: [...this.blobs], layers: [...this.layers] }));
    renameSync(tmp, this.path);
  }

  release(): void {
    rmSync(this.path, { force: true });
  }
}

export class Leases {
  constructor(private dir: string) {}

  create(): Lease {
    return new Lease(join(this.dir, `${process.pid}.${startTime(process.pid) ?? '0'}.${randomBytes(4).toString('hex')}.json`));
  }

  /** Everything live leases hold; files of dead processes are removed. */
  held(): { blobs: Set<Digest>; layers: Set<Digest> } {
    const blobs = new Set<Digest>();
    const layers = new Set<Digest>();
    for (const name of readdirSync(this.dir)) {
      const [pid, start] = name.split('.');
      const path = join(this.dir, name);
      if (!isAlive(Number(pid), start)) {
        rmSync(path, { force: true });
        continue;
      }
      if (!name.endsWith('.json')) continue;
      try {
        const lease = JSON.parse(readFileSync(path, 'utf8')) as { blobs: Digest[]; layers: Digest[] };
        lease.blobs.forEach((d) => blobs.add(d));
        lease.layers.forEach((d) => layers.add(d));
      } catch {
        // being rewritten or released right now
      }
    }
    return { blobs, layers };
  }
}
