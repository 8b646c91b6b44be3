// The first process of an OCI container: `carton oci create` spawns it (as PID 1 of a new
// PID namespace, or in the one linux.namespaces names), sends it the spec on fd 3, and it
// makes itself the container the spec describes, in the order runc does: namespaces, the
// cgroup (create does that while we wait), mounts, devices, masked and read-only paths,
// pivot_root, sysctls, hostname, rlimits, the terminal, the user and its capabilities,
// no_new_privs and seccomp. Then it reports "created" and blocks opening the exec fifo for
// writing, until `carton oci start` opens it for reading; then it execs process.args.
//
// Only synchronous calls from the first setns/unshare on (libuv's pool stays behind).
import { chownSync, existsSync, fchownSync, mkdirSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as sys from '../sys/index.js';
import { chapter } from '../impl.js';
import { failStage, readLine, writeLine } from '../runtime/sync.js';
import { capabilityMask, capabilityNumber } from '../../solutions/09-security/capabilities.js';
import type { Mount, Process } from '../../solutions/08-oci/spec.js';
import { CONSOLE_FD, FIFO_FD, type InitConfig } from './init-config.js';
import { runHooks } from './hooks.js';
import { bindHostDevice, bindHostDevices } from '../runtime/host-devices.js';

/** A hook that fails after the point of no return is reported, on stderr (fd 3 may be gone). */
const warn = (message: string) => process.stderr.write(`carton: warning: ${message}\n`);

const SYNC_FD = 3;
const S_IFIFO = 0o010000;
type Filesystem = Awaited<ReturnType<typeof chapter.filesystem>>;
type Security = Awaited<ReturnType<typeof chapter.security>>;
type Oci = Awaited<ReturnType<typeof chapter.oci>>;

async function main(): Promise<void> {
  // Until "created", if create dies, so do we; after it, we outlive it (a shim reaps us).
  sys.prctl(sys.PR_SET_PDEATHSIG, sys.SIGKILL);
  sys.prctl(sys.PR_SET_DUMPABLE, 0); // no container process may open our /proc/<pid>/exe or fds
  const line = readLine(SYNC_FD);
  if (line === null) process.exit(125);
  const config = JSON.parse(line) as InitConfig;
  const { spec } = config;
  // Every module now, before the first setns: from there on only synchronous calls.
  const [chroot, namespaces, filesystem, security, oci] = await Promise.all([chapter.chroot(), chapter.namespaces(), chapter.filesystem(), chapter.security(), chapter.oci()]);
  const lastCap = sys.capLastCap();
  const plan = oci.namespacePlan(spec.linux?.namespaces);
  if (!plan.unshare.includes('mnt')) throw new sys.CartonError('linux.namespaces: carton needs a mount namespace', 'add { "type": "mount" }');

  // Join first (their paths are on the host), then make the new ones; cgroup after the join.
  if (plan.join.some((j) => j.type === 'mnt')) throw new sys.CartonError('linux.namespaces: joining an existing mount namespace is not supported');
  sys.unshare(sys.CLONE_FS);
  for (const { type, path } of plan.join) {
    const fd = sys.open(path, sys.O_RDONLY | sys.O_CLOEXEC);
    sys.setns(fd, sys.NAMESPACES[type]);
    sys.close(fd);
  }
  namespaces.unshareNamespaces(plan.unshare.filter((t) => t !== 'cgroup'));
  writeLine(SYNC_FD, { ready: true });
  const go = readLine(SYNC_FD); // we are in our cgroup now, and learn its directories
  if (go === null) process.exit(125);
  const given = JSON.parse(go) as Partial<InitConfig>;
  config.cgroupDirs = given.cgroupDirs ?? {};
  config.state = given.state;
  if (plan.unshare.includes('cgroup')) namespaces.unshareNamespaces(['cgroup']);

  // create passed the exec fifo and the console socket (init-config.ts).
  const fifo = FIFO_FD;
  const consoleSocket = spec.process?.terminal && config.console ? CONSOLE_FD : -1;

  prepareRoot(config, filesystem, security, oci);
  const process_ = spec.process!;
  for (const [key, value] of Object.entries(spec.linux?.sysctl ?? {})) writeFileSync(join('/proc/sys', key.replace(/\./g, '/')), value);
  if (plan.unshare.includes('uts')) {
    if (spec.hostname) sys.sethostname(spec.hostname);
    if (spec.domainname) sys.setdomainname(spec.domainname);
  }
  for (const r of process_.rlimits ?? []) sys.setRlimit(sys.RLIMITS[r.type], BigInt(r.soft), BigInt(r.hard));
  if (process_.oomScoreAdj !== undefined) writeFileSync('/proc/self/oom_score_adj', String(process_.oomScoreAdj));
  if (consoleSocket >= 0) takeTerminal(consoleSocket, process_);
  if (!existsSync(process_.cwd)) mkdirSync(process_.cwd, { recursive: true });
  process.chdir(process_.cwd);
  sys.defaultSignals(); // Node's ignored SIGPIPE and SIGXFSZ must not reach the program (runc's have the defaults)
  becomeUser(process_, lastCap, config.seccomp, security);

  // Created: tell create (which then exits) and wait for start.
  sys.prctl(sys.PR_SET_PDEATHSIG, 0);
  writeLine(SYNC_FD, { created: true }); // fd 3 stays open (close-on-exec): a later failure is reported on it, or on stderr
  const opened = sys.open(`/proc/self/fd/${fifo}`, sys.O_WRONLY | sys.O_CLOEXEC); // blocks until start reads
  writeSync(opened, '0');
  // startContainer: after start, before the program, in the container (its path resolves there).
  if (config.state) runHooks(spec.hooks, 'startContainer', { ...config.state, status: 'running' }, warn);
  chroot.execProgram(process_.args, process_.env ?? []);
}

/** Mounts, devices, masks, pivot_root, read-only root: the filesystem the spec describes. */
function prepareRoot(config: InitConfig, filesystem: Filesystem, security: Security, oci: Oci): void {
  const { spec, rootfs: root } = config;
  const propagation = spec.linux?.rootfsPropagation ? oci.propagationFlags(spec.linux.rootfsPropagation) : sys.MS_SLAVE | sys.MS_REC;
  if (propagation === undefined) throw new sys.CartonError(`linux.rootfsPropagation: unknown propagation ${sys.q(spec.linux!.rootfsPropagation!)}`, 'one of private, rprivate, shared, rshared, slave, rslave, unbindable');
  sys.mount(null, '/', null, propagation); // nothing we mount reaches the host
  filesystem.bindRootfs(root); // pivot_root needs a mount point
  security.requireRealDirectories(root); // /dev, /proc, /sys are used by name below
  let devTmpfs = false;
  for (const m of spec.mounts ?? []) {
    mountOne(root, m, config, security, oci);
    if (m.destination === '/dev' && m.type === 'tmpfs') devTmpfs = true;
  }
  if (devTmpfs) defaultDevices(root, filesystem, security, !!config.userns);
  for (const d of spec.linux?.devices ?? []) {
    // The node is made in its directory as found inside the root: /proc/self/fd/N/name.
    const parent = security.targetInRoot(root, dirname(d.path), 'dir');
    try {
      const path = join(parent.path, basename(d.path));
      rmSync(path, { force: true });
      if (config.userns) {
        bindHostDevice(d.path, path); // the host's node of that path, as runc binds it in a user namespace
        continue;
      }
      const type = d.type === 'b' ? sys.S_IFBLK : d.type === 'p' ? S_IFIFO : sys.S_IFCHR;
      sys.mknod(path, type | (d.fileMode ?? 0o666), sys.makedev(d.major, d.minor));
      chownSync(path, d.uid ?? 0, d.gid ?? 0);
    } finally {
      parent.close();
    }
  }
  // runc's order: read-only paths first, then the masks, with the container's own /dev/null.
  const readOnly = spec.linux?.readonlyPaths ?? [];
  if (readOnly.length) filesystem.maskPaths(root, [], readOnly);
  const nullDevice = existsSync(join(root, 'dev/null')) ? join(root, 'dev/null') : '/dev/null';
  filesystem.maskPaths(root, spec.linux?.maskedPaths ?? [], [], nullDevice);
  // createContainer: in the container's mount namespace, its mounts made, before pivot_root
  // (so its path resolves in the runtime's view of the filesystem), as runc runs it.
  if (config.state) runHooks(spec.hooks, 'createContainer', config.state, warn);
  filesystem.pivotInto(root);
  if (spec.root.readonly) sys.mount(null, '/', null, sys.MS_BIND | sys.MS_REMOUNT | sys.MS_RDONLY | sys.MS_REC);
}

/** One entry of spec.mounts, at a target resolved inside the root (never through a symlink out). */
function mountOne(root: string, m: Mount, config: InitConfig, security: Security, oci: Oci): void {
  const options = oci.parseMountOptions(m.options);
  const bind = (options.flags & sys.MS_BIND) !== 0 || m.type === 'bind';
  if (m.type === 'cgroup' && !bind) return mountCgroups(root, m, config, security, options.flags);
  let kind: 'dir' | 'file' = 'dir';
  let source = m.source ?? m.type ?? 'none';
  if (bind) {
    source = m.source!.startsWith('/') ? m.source! : join(dirname(config.rootfs), m.source!);
    kind = statSync(source).isDirectory() ? 'dir' : 'file';
  }
  const at = security.targetInRoot(root, m.destination, kind);
  try {
    if (bind) {
      sys.mount(source, at.path, null, sys.MS_BIND | (options.flags & sys.MS_REC));
      const rest = options.flags & ~(sys.MS_BIND | sys.MS_REC | sys.MS_REMOUNT);
      if (rest) {
        const mounted = security.targetInRoot(root, m.destination, kind); // the mount itself, not what it covers
        try {
          sys.mount(null, mounted.path, null, sys.MS_BIND | sys.MS_REMOUNT | rest);
        } finally {
          mounted.close();
        }
      }
    } else {
      sys.mount(source, at.path, m.type ?? null, options.flags, options.data || null);
    }
    for (const flag of options.propagation) {
      const mounted = security.targetInRoot(root, m.destination, kind);
      try {
        sys.mount(null, mounted.path, null, flag);
      } finally {
        mounted.close();
      }
    }
  } finally {
    at.close();
  }
}

/**
 * A "cgroup" mount: the container's own directory of each hierarchy, under a tmpfs, as runc
 * does for cgroup v1 (mounting a v1 hierarchy anew would show the host's whole tree).
 */
function mountCgroups(root: string, m: Mount, config: InitConfig, security: Security, flags: number): void {
  const at = security.targetInRoot(root, m.destination, 'dir');
  const entries = Object.entries(config.cgroupDirs);
  try {
    if (entries.length === 1 && entries[0][0] === '.') {
      sys.mount(entries[0][1], at.path, null, sys.MS_BIND | sys.MS_REC);
    } else {
      sys.mount('tmpfs', at.path, 'tmpfs', sys.MS_NOSUID | sys.MS_NODEV | sys.MS_NOEXEC, flags & sys.MS_RDONLY ? 'mode=555' : 'mode=755');
    }
  } finally {
    at.close();
  }
  if (!(entries.length === 1 && entries[0][0] === '.')) {
    for (const [name, dir] of entries) {
      const sub = security.targetInRoot(root, join(m.destination, name), 'dir');
      try {
        sys.mount(dir, sub.path, null, sys.MS_BIND | sys.MS_REC);
      } finally {
        sub.close();
      }
      if (flags & sys.MS_RDONLY) {
        const mounted = security.targetInRoot(root, join(m.destination, name), 'dir'); // the bind itself
        try {
          sys.mount(null, mounted.path, null, sys.MS_BIND | sys.MS_REMOUNT | sys.MS_RDONLY | sys.MS_NOSUID | sys.MS_NODEV | sys.MS_NOEXEC);
        } finally {
          mounted.close();
        }
      }
    }
  }
  if (flags & sys.MS_RDONLY) {
    const top = security.targetInRoot(root, m.destination, 'dir');
    try {
      sys.mount(null, top.path, null, sys.MS_REMOUNT | sys.MS_RDONLY | sys.MS_NOSUID | sys.MS_NODEV | sys.MS_NOEXEC);
    } finally {
      top.close();
    }
  }
}

/** The devices every container has (the spec's "Default Devices"), and /dev's links. */
function defaultDevices(root: string, filesystem: Filesystem, security: Security, userns: boolean): void {
  const dev = security.targetInRoot(root, '/dev', 'dir');
  dev.close();
  if (userns) bindHostDevices(join(root, 'dev'), filesystem.DEVICES.map(([name]) => name));
  else filesystem.createDeviceNodes(join(root, 'dev'));
  const links: Array<[string, string]> = [['ptmx', 'pts/ptmx'], ['fd', '/proc/self/fd'], ['stdin', '/proc/self/fd/0'], ['stdout', '/proc/self/fd/1'], ['stderr', '/proc/self/fd/2']];
  for (const [name, target] of links) {
    try {
      symlinkSync(target, join(root, 'dev', name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // a spec mount put something there
    }
  }
}

/**
 * process.terminal: a pty pair from the container's own devpts (after pivot_root, /dev/ptmx
 * is its pts/ptmx), the slave as our stdio and controlling terminal, and the master sent
 * to whoever listens on the console socket, as runc sends it.
 */
function takeTerminal(socket: number, process_: Process): void {
  const master = sys.open('/dev/ptmx', sys.O_RDWR | sys.O_NOCTTY | sys.O_CLOEXEC);
  sys.ioctlBuffer(master, sys.TIOCSPTLCK, Buffer.alloc(4));
  const number = Buffer.alloc(4);
  sys.ioctlBuffer(master, sys.TIOCGPTN, number);
  const slavePath = `/dev/pts/${number.readInt32LE(0)}`;
  const slave = sys.open(slavePath, sys.O_RDWR | sys.O_NOCTTY);
  if (process_.consoleSize) {
    const size = Buffer.alloc(8);
    size.writeUInt16LE(process_.consoleSize.height, 0);
    size.writeUInt16LE(process_.consoleSize.width, 2);
    sys.ioctlBuffer(slave, sys.TIOCSWINSZ, size);
  }
  sys.sendFd(socket, master, slavePath);
  sys.close(master);
  sys.close(socket);
  sys.setsid();
  for (const fd of [0, 1, 2]) sys.dup2(slave, fd);
  sys.close(slave);
  sys.ioctlInt(0, sys.TIOCSCTTY, 0);
  // The slave is root's, mode 0620: the container's user gets it, as runc does.
  if (process_.user.uid !== 0) fchownSync(0, process_.user.uid, -1);
}

/**
 * The five capability sets, the user, no_new_privs and seccomp. The bounding set is cut and
 * the filter installed while we still hold every capability; PR_SET_KEEPCAPS keeps the
 * permitted set through setresuid to a non-root user, and capset then sets what the spec
 * says; ambient capabilities are raised last (they need permitted and inheritable).
 */
function becomeUser(process_: Process, lastCap: number, seccomp: string | undefined, security: Security): void {
  const caps = process_.capabilities ?? {};
  security.dropBoundingSet(caps.bounding ?? [], lastCap);
  sys.prctl(sys.PR_CAP_AMBIENT, sys.PR_CAP_AMBIENT_CLEAR_ALL);
  if (process_.noNewPrivileges) sys.prctl(sys.PR_SET_NO_NEW_PRIVS, 1);
  if (seccomp) sys.seccompFilter(Buffer.from(seccomp, 'base64'));
  const { uid, gid, additionalGids = [] } = process_.user;
  sys.prctl(sys.PR_SET_KEEPCAPS, 1);
  sys.setgroups(additionalGids);
  sys.setresgid(gid);
  sys.setresuid(uid);
  sys.capset({ effective: capabilityMask(caps.effective ?? []), permitted: capabilityMask(caps.permitted ?? []), inheritable: capabilityMask(caps.inheritable ?? []) });
  // An ambient capability must be permitted and inheritable too; runc skips one that is not
  // (its default config asks for three ambient ones with no inheritable set: none is raised).
  const raisable = new Set(caps.inheritable ?? []);
  for (const cap of (caps.ambient ?? []).filter((c) => raisable.has(c) && (caps.permitted ?? []).includes(c))) {
    sys.prctl(sys.PR_CAP_AMBIENT, sys.PR_CAP_AMBIENT_RAISE, capabilityNumber(cap));
  }
  if (process_.user.umask !== undefined) sys.umask(process_.user.umask);
  sys.cloexecRange(3);
}

main().catch((error: unknown) => failStage(SYNC_FD, error));
