// --userns=private: the container's root is an unprivileged id range of the host. Its
// processes run in a user namespace whose uid_map and gid_map send ids 0..65535 inside to a
// subordinate range outside (/etc/subuid, /etc/subgid: the range given to the user `carton`,
// else to `root`), so a process that breaks out is nobody on the host.
//
// Three facts shape the code (chapter 09 teaches them):
//  - a multithreaded process cannot create or join a user namespace (unshare(2), setns(2):
//    EINVAL), and Node always is one. Single-threaded programs of util-linux do it
//    (spawnInUserNamespace): `unshare --user` makes it, `nsenter --user` joins it, and
//    `unshare --pid --fork` makes, owned by it, the PID namespace whose PID 1 is the stage.
//    (The PID namespace must belong to the new user namespace, or its root could not mount
//    the container's /proc.)
//  - root on the host may write any mapping into /proc/PID/uid_map of a namespace it made,
//    once: no newuidmap is needed.
//  - the image's files belong to host uid 0, which the namespace does not map: inside they
//    would be nobody's. Each layer is idmapped instead (mount_setattr, lib/sys/idmap.ts): a
//    bind mount through which uid 0 reads as the namespace's 0. Only the host's root can make
//    one (CAP_SYS_ADMIN over the layer's filesystem), so carton makes them on the host under
//    the container's run directory before the stage copies the mount table, and unmounts its
//    own copies as soon as the stage has its namespace: from then on they exist only there.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as sys from '../sys/index.js';
import { idmappedBind } from '../sys/idmap.js';
import { CartonError, SyscallError, q } from '../sys/errors.js';
import { shiftedLayer } from './shifted-layers.js';
import { cartonRoot, runDir, runRoot } from './paths.js';

/** The id ranges of a container's user namespace: inside 0..size-1 is outside uid..uid+size-1. */
export interface UserNamespace {
  uid: number;
  gid: number;
  size: number;
}

const SIZE = 65536;
const OWNERS = ['carton', 'root'];

/** Where the subordinate ranges are read from (CARTON_SUBUID, CARTON_SUBGID: tests use files of their own). */
const subidFile = (kind: 'uid' | 'gid'): string => (kind === 'uid' ? process.env.CARTON_SUBUID : process.env.CARTON_SUBGID) || `/etc/sub${kind}`;

/** The first range of at least 65536 ids that /etc/sub{uid,gid} give `carton` (else `root`). */
export function subordinateRange(kind: 'uid' | 'gid'): number {
  const file = subidFile(kind);
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new CartonError(`read ${q(file)}: ${(error as NodeJS.ErrnoException).code}`);
  }
  const entries = text.split('\n').map((l) => l.trim().split(':')).filter((f) => f.length === 3 && /^\d+$/.test(f[1]) && /^\d+$/.test(f[2]));
  for (const owner of OWNERS) {
    const entry = entries.find((f) => f[0] === owner && Number(f[2]) >= SIZE && Number(f[1]) > 0);
    if (entry) return Number(entry[1]);
  }
  throw new CartonError(`--userns=private: ${q(file)} gives neither carton nor root a range of ${SIZE} ${kind}s`,
    `add one, as Docker's userns-remap needs: echo carton:100000:65536 >> ${file} (or usermod --add-sub${kind}s 100000-165535 carton)`);
}

/** --userns: "" or host (the default: the host's ids), or private. */
export function userNamespaceFor(mode: string | undefined): UserNamespace | undefined {
  if (mode === undefined || mode === '' || mode === 'host') return undefined;
  if (mode !== 'private') throw new CartonError(`invalid --userns ${q(mode)}: use host or private`);
  return { uid: subordinateRange('uid'), gid: subordinateRange('gid'), size: SIZE };
}

/** util-linux's `name` (unshare, nsenter), which --userns=private needs. */
export function findProgram(name: string): string {
  for (const dir of (process.env.PATH || '').split(':').concat(['/usr/bin', '/bin'])) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  throw new CartonError(`--userns=private needs ${name}(1), which is not installed`, 'apt-get install util-linux');
}

/** A process in a new user namespace and, owned by it, a new PID namespace: what the stage becomes. */
export interface UserNamespaceStage {
  /** unshare(1), which waits for the stage and exits as it does. */
  child: ChildProcess;
  /** Resolves with the stage's pid on the host. */
  pid: Promise<number>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `test` (a few milliseconds, usually) until it gives a value. */
async function until<T>(what: string, alive: () => boolean, test: () => T | undefined): Promise<T> {
  for (let i = 0; ; i++) {
    const value = test();
    if (value !== undefined) return value;
    if (!alive()) throw new CartonError(`${what}: exited before the container started`);
    if (i > 2000) throw new CartonError(`${what}: no answer after 10 s`);
    await sleep(i < 100 ? 1 : 5);
  }
}

/** One line of a uid_map or gid_map: `size` ids from `inside` in the namespace are `outside` on the host. */
export interface IdMapping {
  inside: number;
  outside: number;
  size: number;
}

/** The user namespace a spawn runs in: a new one with these maps, or an existing one (/proc/PID/ns/user). */
export type UserNamespaceTarget = { uid: IdMapping[]; gid: IdMapping[] } | { path: string };

/** --userns=private's maps: the whole range, from 0. */
export function mapsOf(userns: UserNamespace): UserNamespaceTarget {
  return { uid: [{ inside: 0, outside: userns.uid, size: userns.size }], gid: [{ inside: 0, outside: userns.gid, size: userns.size }] };
}

/**
 * Spawn `program` (a Node program) in a user namespace as its root, and (with `newPid`) as
 * PID 1 of a new PID namespace owned by it. A new namespace's maps must exist before the
 * first execve in it: a process that execs while its uid is unmapped there loses every
 * capability. So, in three steps:
 *  1. `unshare --user sleep` makes the namespace; carton writes its maps, keeps an fd of it,
 *     and ends it (an existing namespace is opened instead);
 *  2. `nsenter --user=FD` joins it and becomes its root;
 *  3. `unshare --pid --fork` makes, owned by it, the PID namespace whose PID 1 is the program.
 */
export async function spawnInUserNamespace(program: string[], options: SpawnOptions, target: UserNamespaceTarget, newPid = true): Promise<UserNamespaceStage> {
  const unshare = findProgram('unshare');
  const alive = (c: ChildProcess) => () => c.exitCode === null && c.signalCode === null;
  let fd: number;
  if ('path' in target) {
    try {
      fd = openSync(target.path, 'r');
    } catch (error) {
      throw new CartonError(`open user namespace ${q(target.path)}: ${(error as NodeJS.ErrnoException).code}`);
    }
  } else {
    const holder = spawn(unshare, ['--user', '--', 'sleep', '30'], { stdio: 'ignore' });
    try {
      const ours = readlinkSync('/proc/self/ns/user');
      await until('unshare --user', alive(holder), () => {
        const theirs = readOrEmpty(() => readlinkSync(`/proc/${holder.pid}/ns/user`));
        return theirs && theirs !== ours && readOrEmpty(() => readFileSync(`/proc/${holder.pid}/cmdline`, 'latin1')).startsWith('sleep') ? true : undefined;
      });
      writeMaps(holder.pid!, target);
      fd = openSync(`/proc/${holder.pid}/ns/user`, 'r');
    } finally {
      holder.kill('SIGKILL');
    }
  }
  const stdio = [...(options.stdio as unknown[]), fd];
  try {
    const pidNamespace = newPid ? [unshare, '--pid', '--fork', '--kill-child', '--'] : [];
    const child = spawn(findProgram('nsenter'), [`--user=/proc/self/fd/${stdio.length - 1}`, '--', ...pidNamespace, process.execPath, ...program], { ...options, stdio: stdio as SpawnOptions['stdio'] });
    // Without a PID namespace nsenter execs the program itself: the child is the program.
    const pid = !newPid ? Promise.resolve(child.pid!) : until('nsenter --user … unshare --pid --fork', alive(child), () => {
      const stage = readOrEmpty(() => readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')).trim();
      return stage ? Number(stage.split(' ')[0]) : undefined;
    });
    pid.catch(() => {});
    return { child, pid };
  } finally {
    closeSync(fd);
  }
}

function readOrEmpty(read: () => string): string {
  try {
    return read();
  } catch {
    return '';
  }
}

/** Root may write any mapping of a namespace below its own, once (user_namespaces(7)). */
function writeMaps(pid: number, maps: { uid: IdMapping[]; gid: IdMapping[] }): void {
  for (const [file, lines] of [['uid_map', maps.uid], ['gid_map', maps.gid]] as const) {
    const path = `/proc/${pid}/${file}`;
    const text = lines.map((m) => `${m.inside} ${m.outside} ${m.size}\n`).join('');
    try {
      writeFileSync(path, text);
    } catch (error) {
      throw new CartonError(`write ${q(path)} (${text.trim().replace(/\n/g, ', ')}): ${(error as NodeJS.ErrnoException).code}`, 'are the ranges free, not overlapping, and within /proc/sys/user limits? see `carton doctor`');
    }
  }
}

const idmapDir = (id: string): string => join(runDir(id), 'idmap');

/**
 * Idmapped copies of the layers, through the user namespace of `pid`, mounted under the
 * container's run directory on a private mount (nothing propagates to or from them). Returns
 * the paths to give overlayfs as its lowerdirs. A layer that cannot be idmapped is given
 * as its shifted copy instead (shifted-layers.ts).
 */
export function idmapLayers(id: string, layers: string[], pid: number, ranges: UserNamespace): string[] {
  const dir = idmapDir(id);
  mkdirSync(dir, { recursive: true });
  sys.mount(dir, dir, null, sys.MS_BIND);
  sys.mount(null, dir, null, sys.MS_PRIVATE);
  const userns = openSync(`/proc/${pid}/ns/user`, 'r');
  try {
    return layers.map((layer, i) => {
      const target = join(dir, String(i));
      mkdirSync(target);
      try {
        idmappedBind(layer, target, userns);
        return target;
      } catch (error) {
        // EINVAL: the layer's filesystem does not allow idmapping; ENOSYS: the kernel has no
        // mount_setattr (before 5.12). A shifted copy of the layer does the same job, slower.
        if (!(error instanceof SyscallError && ['EINVAL', 'ENOSYS'].includes(error.code))) throw error;
        rmdirSync(target); // nothing is mounted on it
        const copy = shiftedLayer(layer, ranges);
        reachableFor(copy);
        return copy;
      }
    });
  } finally {
    closeSync(userns);
  }
}

/**
 * Unmount carton's copies of the idmapped layers: the stage keeps its own. The directories
 * stay until the container is released: removing a directory detaches the mounts on it in
 * *every* mount namespace (the kernel's rule since 3.18), the stage's copies included.
 */
export function unmountIdmaps(id: string): void {
  const dir = idmapDir(id);
  if (!existsSync(dir)) return;
  // Deepest first: the layers, then the private mount that holds them.
  const mounted = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter((m): m is string => !!m && (m === dir || m.startsWith(dir + '/')));
  for (const m of mounted.sort((a, b) => b.length - a.length)) sys.umount2(m, sys.MNT_DETACH);
}

/** Unmount what is left of the idmapped layers and remove their directories. */
export function releaseIdmaps(id: string): void {
  const dir = idmapDir(id);
  if (!existsSync(dir)) return;
  unmountIdmaps(id);
  // rmdir, never rm -r: a directory that still held a layer's mount would lose the layer's files.
  for (const name of readdirSync(dir)) rmdirSync(join(dir, name));
  rmdirSync(dir);
}

/** The overlay's upper and work directories belong to the namespace's root, who writes them. */
export function giveToNamespaceRoot(dirs: string[], userns: UserNamespace): void {
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    chownSync(dir, userns.uid, userns.gid);
  }
}

/**
 * The namespace's root is an unprivileged id on the host: it can reach the container's
 * directories (its /etc files, the overlay's mount point, the idmapped layers) only through
 * directories that let anyone search them. carton's own get `o+x` (searchable, not
 * listable: 0711 as Docker's /var/lib/docker); any other directory above them that lacks it
 * is an error, never changed.
 */
export function reachableFor(...paths: string[]): void {
  const own = [runRoot(), cartonRoot()];
  for (const path of paths) {
    mkdirSync(path, { recursive: true });
    const chain: string[] = [];
    for (let dir = path; dir !== dirname(dir); dir = dirname(dir)) chain.unshift(dir);
    for (const dir of chain) {
      const mode = statSync(dir).mode;
      if (mode & 0o001) continue;
      if (own.some((o) => dir === o || dir.startsWith(o + '/'))) chmodSync(dir, (mode & 0o7777) | 0o711);
      else {
        throw new CartonError(`--userns=private: the container's root cannot reach ${q(path)}: ${q(dir)} is not searchable by others (mode ${(mode & 0o777).toString(8)})`,
          `chmod o+x ${dir}, or keep CARTON_ROOT and CARTON_RUN under directories anyone may search`);
      }
    }
  }
}
