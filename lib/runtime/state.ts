// Every container has a record in the state database ($CARTON_ROOT/state.db, record-store.ts)
// and a directory, $CARTON_ROOT/containers/<id>, for what is its own on disk (logs, layer).
// Each change is one transaction, so concurrent carton commands never see half a record,
// and the table's constraint keeps two containers from having one name.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CartonError, q } from '../sys/index.js';
import { cartonRoot } from './paths.js';
import { databasePath, deleteIn, holderIn, insertIn, readRow, readRows, rowIn, transaction, updateIn, type Row } from './record-store.js';

/** 'dead': the record cannot be read (a crash mid-write, a corrupt file); rm -f frees what its id holds. */
export type Status = 'created' | 'running' | 'paused' | 'restarting' | 'exited' | 'dead';

/**
 * What a container holds on one network while it runs (resources.network for eth0, with
 * index 0; resources.networks for the connected ones): what release must free.
 */
export interface JoinedNetwork {
  name: string;
  /** The interface inside: eth<index>; its host end is vethNames(id).host + index (none for 0). */
  index: number;
  /** Unset while joining (pending): crash recovery frees by id and names alone. */
  address?: string;
  /** eth0's published ports. */
  ports?: unknown[];
  /** eth0's ports that also answer on IPv6, through the waiting process's proxy (port-proxy.ts). */
  proxied?: unknown[];
  pending?: boolean;
}

/** A volume, bind mount or tmpfs of a container (chapter 05). */
export interface MountSpec {
  kind: 'bind' | 'volume' | 'tmpfs';
  /** Host path (bind), volume name (volume), or '' (tmpfs). */
  source: string;
  target: string;
  readOnly: boolean;
  /** tmpfs mount options, e.g. "size=64m,mode=1777". */
  options?: string;
  /** An anonymous volume (-v /path, an image's VOLUME): removed with the container by rm -v and --rm. */
  anonymous?: boolean;
  /** A volume that is not filled from the image when empty (-v NAME:/path:nocopy, --mount volume-nocopy). */
  noCopy?: boolean;
}

export interface ContainerRecord {
  id: string;
  name: string;
  /** The chapter level it was created at (CARTON_CHAPTER): what its spec is made of. */
  level?: number;
  image: string;
  /** Chapter 07: the image's ID (its config digest), so rmi knows who uses an image. */
  imageId?: string;
  /** The image's root filesystem; from chapter 05 on, the lowest layer of an overlay. */
  rootfs: string;
  /** Read-only layers, topmost first: the overlay's lowerdirs. */
  layers: string[];
  mounts: MountSpec[];
  readOnly: boolean;
  /** Chapter 09, --userns=private: the host ids its namespace's 0..size-1 are (absent: the host's own ids). */
  userns?: import('./userns.js').UserNamespace;
  /** Chapter 09: --cap-add, --cap-drop, --privileged, --security-opt (absent: Docker's defaults). */
  security?: import('../../solutions/09-security/policy.js').SecuritySpec;
  /** Chapter 04: cgroup limits (bytes, microseconds, counts). */
  limits?: Record<string, number | string | undefined>;
  /** --add-host NAME:IP, as /etc/hosts lines ("IP\tNAME"), kept when the file is rewritten. */
  extraHosts?: string[];
  /** --dns, --dns-search, --dns-option: replace the host's in the container's /etc/resolv.conf. */
  dns?: { servers: string[]; search: string[]; options: string[] };
  /** --stop-signal and --stop-timeout: what `stop` sends first, and how long it waits. */
  stopSignal?: string;
  stopTimeout?: number;
  /** --label KEY=VALUE (and the image's labels), as Docker's Config.Labels. */
  labels?: Record<string, string>;
  /** The health check (the image's HEALTHCHECK, --health-*), and its state while it runs. */
  healthcheck?: import('./health.js').HealthConfig;
  health?: import('./health.js').HealthState;
  /** --ip: the address asked for on the network given at run (user-defined networks only). */
  ipAddress?: string;
  /** --network-alias: more names on the network given at run (user-defined networks only). */
  networkAliases?: string[];
  /** Chapter 06: 'bridge' (default), 'host', 'none' or a user-defined network's name; and -p specs. */
  network?: string;
  /** Networks joined with `carton network connect` (at every start, after `network`), with their aliases. */
  networks?: Array<{ name: string; aliases?: string[] }>;
  publish?: string[];
  /** -P: publish every exposed port (exposedPorts and expose) on a free host port. */
  publishAll?: boolean;
  /** Ports the image exposes (its config's ExposedPorts), e.g. ["80/tcp"]. */
  exposedPorts?: string[];
  /** Ports exposed with --expose, e.g. ["8080/tcp"]: kept apart from the image's, -P uses both. */
  expose?: string[];
  argv: string[];
  env: string[];
  cwd: string;
  hostname: string;
  user?: { uid: number; gid: number; groups: number[] };
  tty: boolean;
  interactive: boolean;
  init: boolean;
  autoRemove: boolean;
  detached: boolean;
  restart: { policy: 'no' | 'on-failure' | 'always'; maxRetries: number };
  restartCount: number;
  created: string;
  started?: string;
  finished?: string;
  status: Status;
  /** Host pid of the container's PID 1 while it runs, and its start time (pids are reused). */
  pid?: number;
  pidStart?: number;
  /** Host pid of the process that waits for it (carton run, or the monitor), and its start time. */
  monitorPid?: number;
  monitorStart?: number;
  exitCode?: number;
  oomKilled: boolean;
  /** Set by `carton stop`/`kill`: the exit was asked for, so no restart policy applies. */
  stopRequested?: boolean;
  error?: string;
  /** --log-driver/--log-opt (absent: json-file, never rotated). */
  log?: import('./logs.js').LogConfig;
  /** The monitor could not write the log (a full disk): what failed, and from when output was lost. */
  logError?: string;
  /** Extra data chapters attach (cgroup paths, network, mounts). */
  resources: Record<string, unknown>;
}

function containersDir(root: string): string {
  return join(root, 'containers');
}

export function containerDir(id: string, root = cartonRoot()): string {
  return join(containersDir(root), id);
}

/** Where a container's own layer lives: upper and work dirs of its overlay (chapter 05). */
export function containerLayer(id: string): { upper: string; work: string } {
  return { upper: join(containerDir(id), 'upper'), work: join(containerDir(id), 'work') };
}

function parse(row: Row | undefined): ContainerRecord | undefined {
  if (!row) return undefined;
  try {
    return JSON.parse(row.record) as ContainerRecord;
  } catch {
    return undefined;
  }
}

export function loadContainer(id: string, root = cartonRoot()): ContainerRecord | undefined {
  return parse(readRow(root, id));
}

export function listContainers(root = cartonRoot()): ContainerRecord[] {
  const rows = readRows(root);
  const stored = new Set(rows.map((r) => r.id));
  const records = rows.map((row) => parse(row) ?? deadRecord(row.id, root, false));
  // A directory with no record: a container being created (seconds old), or one whose
  // record was lost (a crash between the two, a state database moved aside).
  const dir = containersDir(root);
  for (const id of existsSync(dir) ? readdirSync(dir).filter((n) => /^[0-9a-f]{64}$/.test(n) && !stored.has(n)) : []) {
    const dead = deadRecord(id, root, true);
    if (dead && !readRow(root, id)) records.push(dead); // not stored meanwhile
  }
  return records.filter((r): r is ContainerRecord => r !== undefined).sort((a, b) => b.created.localeCompare(a.created));
}

/**
 * A container whose record cannot be read is not invisible: it is listed as Dead, with the
 * reason, so that `rm -f` (and `system prune`) can free what the host still holds for its id.
 * A directory without a record that is only seconds old is a container being created.
 */
function deadRecord(id: string, root: string, missing: boolean): ContainerRecord | undefined {
  const reason = missing ? 'its record is missing' : 'its record is corrupt';
  let created = new Date(0).toISOString();
  try {
    const stats = statSync(containerDir(id, root));
    if (missing && Date.now() - stats.mtimeMs < 10_000) return undefined;
    created = stats.mtime.toISOString();
  } catch {
    if (missing) return undefined; // removed meanwhile
  }
  return {
    id, name: id.slice(0, 12), image: '', rootfs: '', layers: [], mounts: [], readOnly: false, argv: [], env: [], cwd: '/', hostname: '', tty: false, interactive: false,
    init: false, autoRemove: false, detached: false, restart: { policy: 'no', maxRetries: 0 }, restartCount: 0, created, status: 'dead', oomKilled: false,
    error: `${reason} (container ${id} in ${databasePath(root)}); carton rm -f ${id.slice(0, 12)} frees what it held`, network: 'none', resources: {},
  };
}

const inUse = (name: string, holder: string) => new CartonError(`the container name ${q(name)} is already in use by container ${holder.slice(0, 12)}`, `remove (or rename) that container to reuse the name: carton rm ${name}`);

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** Store a new record; fails if the name is taken (as Docker: "Conflict. The container name ..."). */
export function createContainer(record: ContainerRecord, root = cartonRoot()): void {
  if (!NAME.test(record.name)) throw new CartonError(`invalid container name ${q(record.name)}: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  mkdirSync(containerDir(record.id, root), { recursive: true });
  transaction(root, (db) => {
    const holder = holderIn(db, record.name);
    if (holder) throw inUse(record.name, holder);
    insertIn(db, record);
  });
}

/** Change a record in one transaction; returns the new record. */
export function updateContainer(id: string, change: (r: ContainerRecord) => void, root = cartonRoot()): ContainerRecord {
  return transaction(root, (db) => {
    const record = parse(rowIn(db, id));
    if (!record) throw new CartonError(`no such container: ${id.slice(0, 12)}`);
    change(record);
    updateIn(db, record);
    return record;
  });
}

export function renameContainer(id: string, name: string, root = cartonRoot()): void {
  if (!NAME.test(name)) throw new CartonError(`invalid container name ${q(name)}: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  transaction(root, (db) => {
    const holder = holderIn(db, name);
    if (holder && holder !== id) throw inUse(name, holder);
    const record = parse(rowIn(db, id));
    if (!record) throw new CartonError(`no such container: ${id.slice(0, 12)}`);
    record.name = name;
    updateIn(db, record);
  });
}

/** The record goes first: a directory left without one by a crash is listed Dead, and rm -f finishes. */
export function deleteContainer(id: string, root = cartonRoot()): void {
  if (existsSync(databasePath(root))) transaction(root, (db) => deleteIn(db, id));
  rmSync(containerDir(id, root), { recursive: true, force: true });
}

/** A container by name, full id, or unique id prefix (as Docker resolves references). */
export function findContainer(ref: string, root = cartonRoot()): ContainerRecord {
  const all = listContainers(root);
  const exact = all.find((c) => c.name === ref || c.id === ref);
  if (exact) return exact;
  const matches = /^[0-9a-f]+$/.test(ref) ? all.filter((c) => c.id.startsWith(ref)) : [];
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw new CartonError(`multiple containers match the prefix ${q(ref)}`, 'use more characters of the id, or the name');
  throw new CartonError(`no such container: ${ref}`, "see 'carton ps -a'");
}

const ADJECTIVES = ['brave', 'calm', 'eager', 'fancy', 'gentle', 'happy', 'jolly', 'kind', 'lucid', 'merry', 'nifty', 'proud', 'quiet', 'sharp', 'swift', 'witty'];
const NOUNS = ['chroot', 'pivot', 'cgroup', 'overlay', 'veth', 'bridge', 'socket', 'inode', 'dentry', 'pipe', 'signal', 'thread', 'kernel', 'mount', 'namespace', 'zombie'];

/** Docker-style generated names: adjective_noun. */
export function generateName(id: string): string {
  const a = ADJECTIVES[parseInt(id.slice(0, 4), 16) % ADJECTIVES.length];
  const n = NOUNS[parseInt(id.slice(4, 8), 16) % NOUNS.length];
  return `${a}_${n}_${id.slice(8, 12)}`;
}
