// The containers' records, in the state database (lib/sys/state-db.ts): one row per
// container, its name unique by the table's constraint. A container's directory (logs,
// layer, marks) stays a directory: only the record moved.
import type { DatabaseSync } from 'node:sqlite';
import { reading } from '../sys/state-db.js';

export { databasePath, transaction } from '../sys/state-db.js';

export interface Row {
  id: string;
  /** The record as stored: JSON, which may fail to parse (then the container is Dead). */
  record: string;
}

// The statements, for use inside a transaction (and by the readers below).
export const rowIn = (db: DatabaseSync, id: string) => db.prepare('SELECT id, record FROM containers WHERE id = ?').get(id) as Row | undefined;
/** The id of the container that has `name`, if any. */
export const holderIn = (db: DatabaseSync, name: string) => (db.prepare('SELECT id FROM containers WHERE name = ?').get(name) as { id: string } | undefined)?.id;
export const insertIn = (db: DatabaseSync, r: { id: string; name: string; created: string }) => db.prepare('INSERT INTO containers (id, name, created, record) VALUES (?, ?, ?, ?)').run(r.id, r.name, r.created, JSON.stringify(r));
export const updateIn = (db: DatabaseSync, r: { id: string; name: string }) => db.prepare('UPDATE containers SET name = ?, record = ? WHERE id = ?').run(r.name, JSON.stringify(r), r.id);
/** Remove a container's row, and the addresses it holds on any network with it (release frees them first; a crash may not have). */
export const deleteIn = (db: DatabaseSync, id: string) => {
  db.prepare('DELETE FROM allocations WHERE owner = ?').run(id);
  db.prepare('DELETE FROM containers WHERE id = ?').run(id);
};

export const readRow = (root: string, id: string): Row | undefined => reading(root, undefined, (db) => rowIn(db, id));

export const readRows = (root: string): Row[] => reading(root, [], (db) => db.prepare('SELECT id, record FROM containers').all() as unknown as Row[]);
