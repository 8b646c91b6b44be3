// Shared test helpers: temporary state roots, running the real `carton` CLI, running probe
// programs (small scripts that call the implementation under test in a process of their
// own, since chroot, unshare and execve change or replace the calling process), and leak
// checks that look at kernel state.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';

export const repo = fileURLToPath(new URL('../../', import.meta.url));
export const isRoot = process.getuid?.() === 0;
export const impl = process.env.CARTON_IMPL || 'solutions';

/** A fresh directory; remove it with `rmSync(dir, { recursive: true, force: true })`. */
export function tempDir(prefix = 'carton-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface Result {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Wait for a child to end and collect its output. */
export function collect(child: ChildProcess, input?: string): Promise<Result> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  if (input !== undefined) child.stdin?.end(input);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

export interface RunOptions {
  env?: Record<string, string>;
  input?: string;
  /** Run as this uid/gid (via setpriv), to test the unprivileged path. */
  asUser?: number;
}

/** Run the real `carton` command (lib/cli/carton.js) with a private CARTON_ROOT. */
export function carton(args: string[], options: RunOptions = {}): Promise<Result> {
  const cli = join(repo, 'lib/cli/carton.js');
  const command = options.asUser === undefined
    ? [process.execPath, cli, ...args]
    : ['setpriv', `--reuid=${options.asUser}`, `--regid=${options.asUser}`, '--clear-groups', process.execPath, cli, ...args];
  const child = spawn(command[0], command.slice(1), {
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return collect(child, options.input ?? '');
}

/** Retry a command until it succeeds, 50 times 100 ms apart (a server just started may not listen yet). */
export async function eventually(command: () => Result | Promise<Result>): Promise<Result> {
  let result = await command();
  for (let i = 0; i < 50 && result.status !== 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    result = await command();
  }
  return result;
}

/** Remove every container of this run's state root (test clean-up, as a user would: rm -f). */
export async function removeAllContainers(): Promise<void> {
  const ids = (await carton(['ps', '-aq'])).stdout.split('\n').filter(Boolean);
  if (ids.length) await carton(['rm', '-f', ...ids]);
}

/**
 * Start test/probes/NAME.ts in a Node process of its own, through tsx, with the same
 * CARTON_IMPL as the tests: probes load chapter code through lib/impl.ts.
 */
export function probe(name: string, args: string[] = [], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(repo, 'test/probes', `${name}.ts`), ...args], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Resolve with the first line the child prints on stdout (rejects if it ends first). */
export function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const onData = (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        child.stdout?.off('data', onData);
        resolve(out.slice(0, nl));
      }
    };
    child.stdout?.on('data', onData);
    child.on('close', (code) => reject(new Error(`probe ended (status ${code}) before printing a line: ${err.trim()}`)));
  });
}

/** The pids of the processes whose command line (its arguments, NUL-separated) `matches`; gone ones are skipped. */
export function pidsWhere(matches: (cmdline: string) => boolean): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((pid) => {
    try {
      return matches(readFileSync(`/proc/${pid}/cmdline`, 'latin1'));
    } catch {
      return false; // exited meanwhile
    }
  });
}

/** Mount points (field 5 of mountinfo) at or under `path`, as this process sees them. */
export function mountsUnder(path: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((mountPoint): mountPoint is string => !!mountPoint && (mountPoint === path || mountPoint.startsWith(path + '/')));
}

/**
 * Rows of carton's state database (a query of the test's own), read with node:sqlite itself;
 * [] when nothing was ever stored there.
 */
export function stateRows<T>(sql: string, params: Array<string | number> = [], root = process.env.CARTON_ROOT!): T[] {
  if (!existsSync(join(root, 'state.db'))) return [];
  const db = new DatabaseSync(join(root, 'state.db'), { timeout: 30_000 });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Change carton's state database behind its back (as a crash, a bad disk or a hand edit might). */
export function changeState(sql: string, params: Array<string | number> = [], root = process.env.CARTON_ROOT!): void {
  const db = new DatabaseSync(join(root, 'state.db'), { timeout: 30_000 });
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/** Every address allocation in the state database: network, owner, address. */
export const allocations = (root = process.env.CARTON_ROOT!) => stateRows<{ network: string; owner: string; address: string }>('SELECT network, owner, address FROM allocations ORDER BY rowid', [], root);

/** A container's record as stored in $CARTON_ROOT/state.db. */
export const storedRecord = (id: string, root = process.env.CARTON_ROOT!): string => stateRows<{ record: string }>('SELECT record FROM containers WHERE id = ?', [id], root)[0].record;

/** Overwrite a container's stored record (as a crash or a bad disk might leave it). */
export const storeRecord = (id: string, text: string, root = process.env.CARTON_ROOT!): void => changeState('UPDATE containers SET record = ? WHERE id = ?', [text, id], root);
