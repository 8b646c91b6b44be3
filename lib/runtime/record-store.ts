// The containers' records in SQLite ($CARTON_ROOT/state.db, through node:sqlite: no
// dependency), as Podman keeps its state since 5.0. What files could not give: a name is
// unique by the table's constraint, not by a lock file and a scan; every change is one
// transaction (BEGIN IMMEDIATE, so two writers queue on SQLite's busy timeout instead of a
// hand-made lock); WAL keeps readers from ever seeing half a change, and a process killed
// mid-write leaves the last committed state. A container's directory (logs, layer, marks)
// stays a directory: only the record moved.
//
// The schema has a version (PRAGMA user_version); opening an older state root migrates it:
// version 0 is carton's JSON files (containers/<id>/container.json), read into the table in
// one transaction and removed once it commits.
import { DatabaseSync } from 'node:sqlite';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { constants } from 'node:os';
import { getSystemErrorMessage } from 'node:util';
import { CartonError } from '../sys/index.js';

const VERSION = 1;

export interface Row {
  id: string;
  /** The record as stored: JSON, which may fail to parse (then the container is Dead). */
  record: string;
}

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

/** Run `fn` in one write transaction: every other writer waits until it commits. */
export function transaction<T>(root: string, fn: (db: DatabaseSync) => T): T {
  const db = database(root);
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

/** Whether anything was ever stored: a database, or the JSON files of a state root from before it. */
function stored(root: string): boolean {
  if (existsSync(databasePath(root))) return true;
  const dir = join(root, 'containers');
  return existsSync(dir) && readdirSync(dir).some((id) => existsSync(join(dir, id, 'container.json')));
}

// The statements, for use inside a transaction (and by the readers below).
export const rowIn = (db: DatabaseSync, id: string) => db.prepare('SELECT id, record FROM containers WHERE id = ?').get(id) as Row | undefined;
/** The id of the container that has `name`, if any. */
export const holderIn = (db: DatabaseSync, name: string) => (db.prepare('SELECT id FROM containers WHERE name = ?').get(name) as { id: string } | undefined)?.id;
export const insertIn = (db: DatabaseSync, r: { id: string; name: string; created: string }) => db.prepare('INSERT INTO containers (id, name, created, record) VALUES (?, ?, ?, ?)').run(r.id, r.name, r.created, JSON.stringify(r));
export const updateIn = (db: DatabaseSync, r: { id: string; name: string }) => db.prepare('UPDATE containers SET name = ?, record = ? WHERE id = ?').run(r.name, JSON.stringify(r), r.id);
export const deleteIn = (db: DatabaseSync, id: string) => db.prepare('DELETE FROM containers WHERE id = ?').run(id);

export function readRow(root: string, id: string): Row | undefined {
  if (!stored(root)) return undefined; // do not make a database to say there is nothing
  const db = database(root);
  return guarded(root, () => rowIn(db, id));
}

export function readRows(root: string): Row[] {
  if (!stored(root)) return [];
  const db = database(root);
  return guarded(root, () => db.prepare('SELECT id, record FROM containers').all() as unknown as Row[]);
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
    if (from < 1) {
      db.exec('CREATE TABLE IF NOT EXISTS containers (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created TEXT NOT NULL, record TEXT NOT NULL)');
      // Version 0: one JSON file per container. A file that cannot be parsed is kept as it is
      // (the container is then Dead, and rm -f frees it), under its directory's id.
      const dir = join(root, 'containers');
      const insert = db.prepare('INSERT OR IGNORE INTO containers (id, name, created, record) VALUES (?, ?, ?, ?)');
      for (const id of existsSync(dir) ? readdirSync(dir).filter((n) => /^[0-9a-f]{64}$/.test(n)) : []) {
        const file = join(dir, id, 'container.json');
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          continue; // no record: a container being created, or Dead already
        }
        let name = id;
        let created = new Date(0).toISOString();
        try {
          const record = JSON.parse(text) as { name?: string; created?: string };
          name = record.name ?? id;
          created = record.created ?? created;
        } catch {
          // kept as it is: Dead
        }
        insert.run(id, name, created, text);
        migrated.push(file);
      }
    }
    db.exec(`PRAGMA user_version = ${VERSION}`);
    db.exec('COMMIT');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
  for (const file of migrated) rmSync(file, { force: true }); // only once the table has them
}
