// carton's records in one SQLite database ($CARTON_ROOT/state.db, through node:sqlite: no
// dependency), as Podman keeps its state since 5.0: containers and their names, networks,
// address allocations and the build cache's index. What files could not give: a name (or an
// address on a network) is unique by a table's constraint, not by a lock file and a scan;
// every change is one transaction (BEGIN IMMEDIATE, so two writers queue on SQLite's busy
// timeout instead of a hand-made lock), and one transaction can span tables: an address is
// allocated and written into its container's record at once, and a container's removal frees
// its addresses with it. WAL keeps readers from ever seeing half a change; a process killed
// mid-write leaves the last committed state. Blobs, layers, logs and bundles stay files.
//
// The schema has a version (PRAGMA user_version); opening an older state root migrates it:
// version 0 is carton's JSON files (containers/<id>/container.json, networks/*.network.json,
// networks/ipam/*.json, build-cache.json), read into the tables in one transaction and
// removed once it commits.
import { DatabaseSync } from 'node:sqlite';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { constants } from 'node:os';
import { getSystemErrorMessage } from 'node:util';
import { CartonError } from './errors.js';

const VERSION = 2;

const open = new Map<string, DatabaseSync>();

export const databasePath = (root: string) => join(root, 'state.db');

/**
 * SQLite's errors as the errno a user knows (a full disk is ENOSPC, as with files), so the
 * callers that survive a full disk (the monitor, crash recovery) and the error renderer see
 * one kind of error. A corrupt database names its file.
 */
function translated(error: unknown, root: string): unknown {
  const e = error as { code?: string; errcode?: number; message?: string };
  if (e.code !== 'ERR_SQLITE_ERROR' || e.errcode === undefined) return error;
  const primary = e.errcode & 0xff;
  const errno: Record<number, string> = { 13: 'ENOSPC', 10: 'EIO', 8: 'EROFS', 14: 'EACCES', 5: 'EBUSY', 6: 'EBUSY' };
  if (primary === 11 || primary === 26) {
    return new CartonError(`carton's state ${databasePath(root)} is corrupt: ${e.message}`, 'move it aside (its containers are then listed as Dead, and rm -f frees them), or restore it from a backup');
  }
  const code = errno[primary];
  if (code) {
    // As Node words a failed system call: "ENOSPC: no space left on device, …", so the errors renderer treats it as one.
    const words = getSystemErrorMessage(-constants.errno[code as keyof typeof constants.errno]).toLowerCase();
    return Object.assign(new Error(`${code}: ${words}, sqlite: ${e.message}`), { code, syscall: primary === 14 ? 'open' : 'write', path: databasePath(root) });
  }
  return error;
}

function guarded<T>(root: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw translated(error, root);
  }
}

function database(root: string): DatabaseSync {
  const known = open.get(root);
  if (known) return known;
  return guarded(root, () => {
    mkdirSync(root, { recursive: true });
    // Records hold environments (passwords passed with -e): root's alone. SQLite gives its
    // -wal and -shm files the database's own mode.
    closeSync(openSync(databasePath(root), 'a', 0o600));
    // timeout: SQLite's busy timeout, how long a writer waits for another to commit.
    const db = new DatabaseSync(databasePath(root), { timeout: 30_000 });
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
    migrate(db, root);
    open.set(root, db);
    return db;
  });
}

/** Run `fn` in one write transaction: every other writer waits until it commits. Nested calls join the outer one. */
export function transaction<T>(root: string, fn: (db: DatabaseSync) => T): T {
  const db = database(root);
  if (db.isTransaction) return guarded(root, () => fn(db));
  return guarded(root, () => {
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn(db);
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  });
}

/**
 * Read with `fn`; `empty` without making a database when nothing was ever stored here (a
 * reader must not create state to say there is none).
 */
export function reading<T>(root: string, empty: T, fn: (db: DatabaseSync) => T): T {
  if (!stored(root)) return empty;
  const db = database(root);
  return guarded(root, () => fn(db));
}

/** Whether anything was ever stored: a database, or the JSON files of a state root from before it. */
function stored(root: string): boolean {
  if (existsSync(databasePath(root))) return true;
  const dir = join(root, 'containers');
  if (existsSync(dir) && readdirSync(dir).some((id) => existsSync(join(dir, id, 'container.json')))) return true;
  return existsSync(join(root, 'networks')) || existsSync(join(root, 'build-cache.json'));
}

/** A file's text, or undefined if it cannot be read. */
function textOf(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function fieldsOf(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Version 1: containers/<id>/container.json into the containers table. A file that cannot be
 * parsed is kept as it is (the container is then Dead, and rm -f frees it), under its id.
 */
function containersFromFiles(db: DatabaseSync, root: string, migrated: string[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS containers (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created TEXT NOT NULL, record TEXT NOT NULL)');
  const dir = join(root, 'containers');
  const insert = db.prepare('INSERT OR IGNORE INTO containers (id, name, created, record) VALUES (?, ?, ?, ?)');
  for (const id of existsSync(dir) ? readdirSync(dir).filter((n) => /^[0-9a-f]{64}$/.test(n)) : []) {
    const file = join(dir, id, 'container.json');
    const text = textOf(file);
    if (text === undefined) continue; // no record: a container being created, or Dead already
    const record = fieldsOf(text);
    insert.run(id, typeof record?.name === 'string' ? record.name : id, typeof record?.created === 'string' ? record.created : new Date(0).toISOString(), text);
    migrated.push(file);
  }
}

/**
 * Version 2: networks/<name>.network.json (the default network's bridge.network.json too),
 * networks/ipam/<network>.json and build-cache.json. A network file that cannot be parsed
 * is kept as its row (listed as broken; network rm removes it); an allocation file that
 * cannot be parsed is dropped: its containers get addresses afresh at their next start.
 */
function networksAndCacheFromFiles(db: DatabaseSync, root: string, migrated: string[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS networks (name TEXT PRIMARY KEY, id TEXT, bridge TEXT, record TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS allocations (network TEXT NOT NULL, owner TEXT NOT NULL, address TEXT NOT NULL, names TEXT NOT NULL,
      PRIMARY KEY (network, owner), UNIQUE (network, address));
    CREATE INDEX IF NOT EXISTS allocations_by_owner ON allocations (owner);
    CREATE TABLE IF NOT EXISTS build_cache (key TEXT PRIMARY KEY, image TEXT NOT NULL)`);
  const dir = join(root, 'networks');
  const files = existsSync(dir) ? readdirSync(dir) : [];
  const network = db.prepare('INSERT OR IGNORE INTO networks (name, id, bridge, record) VALUES (?, ?, ?, ?)');
  for (const file of files.filter((f) => f.endsWith('.network.json'))) {
    const text = textOf(join(dir, file));
    if (text === undefined) continue;
    const record = fieldsOf(text);
    const str = (key: string) => (typeof record?.[key] === 'string' ? (record[key] as string) : null);
    network.run(str('name') ?? file.slice(0, -'.network.json'.length), str('id'), str('bridge'), text);
    migrated.push(join(dir, file));
  }
  const ipam = join(dir, 'ipam');
  const allocation = db.prepare('INSERT OR IGNORE INTO allocations (network, owner, address, names) VALUES (?, ?, ?, ?)');
  for (const file of existsSync(ipam) ? readdirSync(ipam).filter((f) => f.endsWith('.json')) : []) {
    const state = fieldsOf(textOf(join(ipam, file)) ?? '');
    const list = Array.isArray(state?.allocations) ? (state.allocations as Array<Record<string, unknown>>) : [];
    for (const a of list) if (typeof a.owner === 'string' && typeof a.address === 'string') allocation.run(file.slice(0, -5), a.owner, a.address, JSON.stringify(Array.isArray(a.names) ? a.names : []));
    migrated.push(join(ipam, file));
  }
  const cache = fieldsOf(textOf(join(root, 'build-cache.json')) ?? '') ?? {};
  const step = db.prepare('INSERT OR IGNORE INTO build_cache (key, image) VALUES (?, ?)');
  for (const [key, image] of Object.entries(cache)) if (typeof image === 'string') step.run(key, image);
  migrated.push(join(root, 'build-cache.json'));
  // The old lock files go with them: nothing takes them any more.
  for (const f of files.filter((f) => f.endsWith('.lock'))) migrated.push(join(dir, f));
  for (const f of existsSync(ipam) ? readdirSync(ipam).filter((f) => f.endsWith('.lock')) : []) migrated.push(join(ipam, f));
}

/** The schema, and the migration of older state roots to it. */
function migrate(db: DatabaseSync, root: string): void {
  const version = () => (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  if (version() === VERSION) return;
  db.exec('BEGIN IMMEDIATE'); // another process may be migrating too: the second finds it done
  const migrated: string[] = [];
  try {
    const from = version();
    if (from > VERSION) throw new CartonError(`carton's state ${databasePath(root)} has schema version ${from}, newer than this carton's ${VERSION}`, 'run the carton that made it, or a newer one');
    if (from < 1) containersFromFiles(db, root, migrated);
    if (from < 2) networksAndCacheFromFiles(db, root, migrated);
    db.exec(`PRAGMA user_version = ${VERSION}`);
    db.exec('COMMIT');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
  for (const file of migrated) rmSync(file, { force: true }); // only once the tables have them
  for (const dir of [join(root, 'networks', 'ipam'), join(root, 'networks')]) {
    try {
      if (existsSync(dir) && readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
    } catch {
      // kept: something else is in it
    }
  }
}
