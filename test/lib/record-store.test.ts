// The containers' records in SQLite: an older state root (one JSON file per container) is
// migrated on first use, its unreadable records kept as Dead; names stay unique across
// processes writing at once; a full disk is ENOSPC, as with files. All on real files, read
// back with node:sqlite itself.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, removeDir, repo, tempDir } from '../helpers/index.js';
import { createContainer, listContainers, loadContainer, updateContainer, deleteContainer, type ContainerRecord } from '../../lib/runtime/state.js';

const id = (n: number) => n.toString(16).padStart(64, '0');
function record(n: number, name = `c${n}`): ContainerRecord {
  return {
    id: id(n), name, image: 'carton/busybox', rootfs: '', layers: [], mounts: [], readOnly: false, argv: ['true'], env: [], cwd: '/', hostname: '', tty: false,
    interactive: false, init: false, autoRemove: false, detached: false, restart: { policy: 'no', maxRetries: 0 }, restartCount: 0,
    created: new Date(1_700_000_000_000 + n).toISOString(), status: 'exited', oomKilled: false, network: 'none', resources: {},
  } as ContainerRecord;
}

describe('the record store', () => {
  const root = tempDir('carton-store-');
  afterAll(() => removeDir(root));

  it('migrates a state root of JSON files: every record moves into the table, an unreadable one is Dead, the files go', () => {
    const old = join(root, 'old');
    for (const n of [1, 2]) {
      mkdirSync(join(old, 'containers', id(n)), { recursive: true });
      writeFileSync(join(old, 'containers', id(n), 'container.json'), JSON.stringify(record(n)));
    }
    mkdirSync(join(old, 'containers', id(3)));
    writeFileSync(join(old, 'containers', id(3), 'container.json'), '{"id": "trunc');
    const listed = listContainers(old);
    expect(listed.map((r) => [r.id, r.status]).sort()).toEqual([[id(1), 'exited'], [id(2), 'exited'], [id(3), 'dead']]);
    expect(listed).toHaveLength(3);
    expect(listed.find((r) => r.id === id(3))!.error).toMatch(/its record is corrupt/);
    for (const n of [1, 2, 3]) expect(existsSync(join(old, 'containers', id(n), 'container.json'))).toBe(false);
    const db = new DatabaseSync(join(old, 'state.db'));
    expect((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version).toBe(2);
    expect((db.prepare('SELECT name FROM containers ORDER BY id').all() as Array<{ name: string }>).map((r) => r.name)).toEqual(['c1', 'c2', id(3)]);
    db.close();
    expect(loadContainer(id(2), old)!.name).toBe('c2');
    deleteContainer(id(3), old);
    expect(listContainers(old).map((r) => r.id).sort()).toEqual([id(1), id(2)]);
  });

  it('migrates the networks, address allocations and build cache of a state root of JSON files, in the same transaction', () => {
    const old = join(root, 'old-networks');
    mkdirSync(join(old, 'networks/ipam'), { recursive: true });
    const app = { name: 'app', id: 'a'.repeat(64), driver: 'bridge', bridge: 'cb-aaaaaaaa', subnet: '10.89.0.0/16', gateway: '10.89.0.1', table: 'carton', created: '2026-01-01T00:00:00.000Z' };
    writeFileSync(join(old, 'networks/app.network.json'), JSON.stringify(app));
    writeFileSync(join(old, 'networks/bridge.network.json'), JSON.stringify({ name: 'bridge', bridge: 'carton0', subnet: '10.88.0.0/16', gateway: '10.88.0.1', table: 'carton' }));
    writeFileSync(join(old, 'networks/broken.network.json'), '{"name": "brok');
    writeFileSync(join(old, 'networks/networks.lock'), '999999999 1');
    writeFileSync(join(old, 'networks/ipam/app.json'), JSON.stringify({ subnet: '10.89.0.0/16', allocations: [{ owner: id(1), address: '10.89.0.2', names: ['web'] }] }));
    writeFileSync(join(old, 'networks/ipam/bridge.json'), '{"subnet": "10.88');
    writeFileSync(join(old, 'build-cache.json'), JSON.stringify({ k1: 'sha256:' + 'b'.repeat(64) }));
    expect(listContainers(old)).toEqual([]); // the first use migrates
    const db = new DatabaseSync(join(old, 'state.db'));
    expect(db.prepare('SELECT name, id, bridge FROM networks ORDER BY name').all()).toEqual([
      { name: 'app', id: app.id, bridge: 'cb-aaaaaaaa' }, { name: 'bridge', id: null, bridge: 'carton0' }, { name: 'broken', id: null, bridge: null },
    ]);
    expect(db.prepare('SELECT network, owner, address, names FROM allocations').all()).toEqual([{ network: 'app', owner: id(1), address: '10.89.0.2', names: '["web"]' }]);
    expect(db.prepare('SELECT key, image FROM build_cache').all()).toEqual([{ key: 'k1', image: 'sha256:' + 'b'.repeat(64) }]);
    db.close();
    expect(existsSync(join(old, 'networks'))).toBe(false); // every file moved, the old locks with them
    expect(existsSync(join(old, 'build-cache.json'))).toBe(false);
  });

  it('keeps names unique: in one process, and when several processes create the same name at once', async () => {
    const here = join(root, 'names');
    createContainer(record(10, 'web'), here);
    expect(() => createContainer(record(11, 'web'), here)).toThrow(/the container name `web` is already in use by container 0{12}/);
    updateContainer(id(10), (r) => (r.status = 'running'), here);
    expect(loadContainer(id(10), here)!.status).toBe('running');
    const script = (n: number) => `import { createContainer } from ${JSON.stringify(join(repo, 'lib/runtime/state.ts'))};
const r = ${JSON.stringify(record(100 + n, 'race'))};
try { createContainer(r, ${JSON.stringify(here)}); console.log('won'); } catch (e) { console.log(String(e.message).includes('already in use') ? 'lost' : 'error ' + e.message); }`;
    const results = await Promise.all(Array.from({ length: 8 }, (_, n) => collect(spawn(join(repo, 'node_modules/.bin/tsx'), ['--eval', script(n)], { stdio: ['ignore', 'pipe', 'pipe'] }))));
    const said = results.map((r) => r.stdout.trim()).sort();
    expect(said, results.map((r) => r.stderr).join('\n')).toEqual(['lost', 'lost', 'lost', 'lost', 'lost', 'lost', 'lost', 'won']);
    expect(listContainers(here).filter((r) => r.name === 'race')).toHaveLength(1);
  });
});
