// State files are JSON. A damaged one (a crash mid-write on a filesystem without atomic rename,
// a full disk, a hand edit) must give one clear error naming the file, not "internal error:
// SyntaxError" and a stack trace.
import { readFileSync } from 'node:fs';
import { CartonError, q } from './errors.js';

/** `text` (read from `path`) as JSON, or an error naming `what` and the file. */
export function parseJsonFile<T>(text: string, path: string, what: string, hint?: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new CartonError(`${what} ${q(path)} is corrupt: ${(error as Error).message}`, hint ?? 'restore the file from a backup, or remove it (carton then forgets what it recorded)');
  }
}

/** The JSON file at `path` (read errors such as ENOENT are thrown as they are). */
export function readJsonFile<T>(path: string, what: string, hint?: string): T {
  return parseJsonFile<T>(readFileSync(path, 'utf8'), path, what, hint);
}
