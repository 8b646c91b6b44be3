// The container's first process. carton starts it (as PID 1 of a new PID namespace from
// chapter 02 on), sends its configuration on fd 3, and it turns itself into the container,
// one chapter at a time, then execve's the user's program, which keeps its pid (1).
// Each step is the chapter module's code: the learner's own with CARTON_IMPL=exercises.
//
// From the first unshare on, only synchronous calls: libuv's thread pool stays in the old
// namespaces (chapters/02-namespaces explains why).
import { existsSync, fchownSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { flushCompileCache } from 'node:module';
import { dirname, join } from 'node:path';
import * as sys from '../sys/index.js';
import { connectUnix } from '../sys/oci.js';
import { chapter } from '../impl.js';
import { featuresAt } from './level.js';
import { failStage, readLine, readMessage, writeLine } from './sync.js';
import { becomeContainerProcess, readConfinement } from './become.js';
import { SYNC_FD, type StageConfig, type TerminalMessage } from './stage-config.js';
import { bindHostDevices } from './host-devices.js';
import { ETC_FILES, userMountsOf } from './spec-mounts.js';
import type { Spec } from '../../solutions/08-oci/spec.js';
import type { User } from './user.js';

/** What the stage makes of the spec: the process, and where the mounts go. */
interface Container {
  rootfs: string;
  argv: string[];
  env: string[];
  cwd: string;
  hostname: string;
  user: User;
  tty: boolean;
  readOnly: boolean;
  netns: boolean;
  /** The /etc files' binds (destination → host file), which chapter 03's setUpRoot takes. */
  etcFiles: Record<string, string>;
  mounts: Mount[];
}

/** -v and --tmpfs: bind mounts bypass the overlay, so their data is not in the container's layer. */
interface Mount {
  type: 'bind' | 'tmpfs';
  source: string;
  target: string;
  readOnly: boolean;
  options?: string;
}

/** The spec, read: Docker's mounts are chapter 03's to make, the /etc files and the user's are bound. */
function readSpec(spec: Spec): Container {
  const process_ = spec.process!;
  const { uid, gid, additionalGids = [] } = process_.user;
  const mounts = userMountsOf(spec).map((m): Mount => {
    const readOnly = !!m.options?.includes('ro');
    if (m.type === 'tmpfs') return { type: 'tmpfs', source: 'tmpfs', target: m.destination, readOnly, options: (m.options ?? []).filter((o) => !['nosuid', 'nodev', 'ro'].includes(o)).join(',') || undefined };
    return { type: 'bind', source: m.source!, target: m.destination, readOnly };
  });
  return {
    rootfs: spec.root.path, argv: process_.args, env: process_.env ?? [], cwd: process_.cwd, hostname: spec.hostname ?? '',
    user: { uid, gid, groups: additionalGids }, tty: !!process_.terminal, readOnly: !!spec.root.readonly,
    netns: !!spec.linux?.namespaces?.some((n) => n.type === 'network'),
    etcFiles: Object.fromEntries((spec.mounts ?? []).filter((m) => m.type === 'bind' && ETC_FILES.some((f) => m.destination === `/etc/${f}`)).map((m) => [m.destination, m.source!])),
    mounts,
  };
}

async function main(): Promise<void> {
  // If carton (or the monitor) dies, so does the container, instead of running on with
  // nobody to record its end. The setting survives execve; `reconcile` frees the rest.
  sys.prctl(sys.PR_SET_PDEATHSIG, sys.SIGKILL);
  // --userns=private: our fd 3 is shared with unshare(1), which outlives our execve; carton
  // listens on a socket of its own instead, and the connection becomes our fd 3.
  const socket = process.env.CARTON_SYNC_SOCKET;
  if (socket) {
    const fd = connectUnix(socket);
    sys.dup2(fd, SYNC_FD);
    sys.close(fd);
  }
  // Load the chapters this level uses before blocking on the configuration: carton spawns
  // us early (startStageAhead), and while it resolves the image and writes the record, our
  // imports cost nothing (readLine blocks the event loop, so they must be done first).
  const expected = Number(process.env.CARTON_STAGE_LEVEL);
  if (Number.isInteger(expected)) {
    const uses = featuresAt(expected);
    await loadChapters(uses, uses.overlay, uses.security);
  }
  const line = readLine(SYNC_FD);
  if (line === null) process.exit(125); // carton went away before sending anything
  const config = JSON.parse(line) as StageConfig;
  const c = readSpec(config.spec);
  // --userns=private: we are still host uid 0, which our namespace does not map (and which
  // owns the host's files). Become the namespace's root, an id of its range, at once, and
  // drop the host's supplementary groups with it.
  if (config.userns) {
    sys.setgroups([]);
    sys.setresgid(0);
    sys.setresuid(0);
  }
  const secure = config.security;
  // Not dumpable: no process of the container may open our /proc/<pid>/exe, mem or fds
  // while we are still the host's node with the host's capabilities (execve resets it).
  if (secure) sys.prctl(sys.PR_SET_DUMPABLE, 0);
  // Load every module now: after pivot_root, import() would look in the container.
  const [chroot, namespaces, filesystem, overlayfs, security] = await loadChapters(featuresAt(config.level), !!config.overlay, !!secure);
  const confinement = readConfinement(security, secure);
  // The stage never exits (it execs), so Node would never write the compile cache: write it
  // now, while the host's filesystem is still ours (after pivot_root it would land in the
  // container). Nothing to write once the cache is warm.
  flushCompileCache?.();

  if (namespaces) {
    // pid: carton already started us as PID 1 of a new PID namespace (spawnInPidNamespace).
    namespaces.unshareNamespaces(c.netns ? ['mnt', 'uts', 'ipc', 'net'] : ['mnt', 'uts', 'ipc']);
    // --network none: lo, and nothing else (an ioctl here, not an nsenter and an ip process on the host).
    if (config.loopbackUp) sys.linkUp('lo');
    // carton now joins us to our cgroups and networks (chapters 04 and 06), while we make the
    // container's filesystem: nothing below needs them, and nothing of the image runs before
    // its "go".
    writeLine(SYNC_FD, { ready: true });
    awaitingGo = true;
  }

  // Open tini now: after pivot_root the host's /usr/bin is out of reach.
  const initFd = config.init ? sys.open(config.init, sys.O_RDONLY | sys.O_CLOEXEC) : -1;

  if (filesystem) {
    const root = c.rootfs;
    // Chapter 09: the image decides what its tree holds, so every path below is resolved
    // inside the root, never through a symlink onto the host.
    const inRoot = security ? (path: string, kind: 'dir' | 'file') => security.targetInRoot(root, path, kind) : undefined;
    // Chapter 03's sequence (the learner's setUpRoot), with what the later chapters add.
    filesystem.setUpRoot(root, {
      etcFiles: c.etcFiles,
      mountRoot: (r) => {
        // The overlay is mounted here, inside the container's private mount namespace: the
        // host never sees it, and it goes away with the namespace, even if carton is killed.
        if (overlayfs && config.overlay && config.userns) {
          // Mounted by the namespace's root: overlayfs keeps its own marks in user.* xattrs.
          const { lowers, upper, work } = config.overlay;
          sys.mount('overlay', root, 'overlay', 0, `${overlayfs.overlayOptions(lowers, upper, work)},userxattr`);
        } else if (overlayfs && config.overlay) overlayfs.mountOverlay({ ...config.overlay, target: root });
        else filesystem.bindRootfs(r);
        security?.requireRealDirectories(r);
      },
      ...(inRoot ? {
        bindInRoot: (source: string, target: string) => {
          const at = inRoot(target, 'file');
          try {
            filesystem.bindFile(source, at.path);
          } finally {
            at.close();
          }
        },
      } : {}),
      beforeMasks: (r) => {
        if (secure?.privileged) sys.mount(null, join(r, 'sys'), null, sys.MS_REMOUNT | sys.MS_NOSUID | sys.MS_NODEV | sys.MS_NOEXEC);
        mountVolumes(r, c.mounts, inRoot);
      },
      ...(config.userns ? { deviceNodes: (dev: string) => bindHostDevices(dev, filesystem.DEVICES.map(([name]) => name)) } : {}),
      unmasked: !!secure?.privileged,
      rootFlags: (c.readOnly ? sys.MS_RDONLY : 0) | (secure?.nodev ? sys.MS_NODEV : 0),
    });
    // Now /dev/pts is the container's own devpts, and so is /proc/<our pid>/root/dev/pts.
    if (c.tty) takeTerminal(c.user, config.userns);
  } else {
    // No /dev of our own before chapter 03: the terminal comes from the host's devpts, and
    // its /dev/pts/N must be opened before chroot hides the host's /dev.
    if (c.tty) takeTerminal(c.user);
    chroot.enterRoot(c.rootfs);
  }
  if (namespaces) sys.sethostname(c.hostname);
  mkdirSync(c.cwd, { recursive: true }); // Docker creates a missing working directory
  process.chdir(c.cwd);
  if (namespaces) {
    if (readMessage(SYNC_FD, 'go') === null) process.exit(125); // carton went away
    awaitingGo = false;
    namespaces.unshareNamespaces(['cgroup']); // after the cgroup join: ours becomes "/"
  }
  becomeContainerProcess(c.user, confinement);

  // On a successful execve the kernel closes fd 3 for us: carton reads EOF and knows the
  // container's program is running.
  sys.fcntl(SYNC_FD, sys.F_SETFD, sys.FD_CLOEXEC);
  if (initFd >= 0) {
    for (const fd of [0, 1, 2]) sys.makeInheritable(fd);
    sys.fexecve(initFd, ['tini', '--', ...c.argv], c.env);
  }
  chroot.execProgram(c.argv, c.env);
}

/** The chapter modules a container of these features needs (a second call finds them loaded). */
function loadChapters(uses: ReturnType<typeof featuresAt>, overlay: boolean, secure: boolean) {
  return Promise.all([
    chapter.chroot(),
    uses.namespaces ? chapter.namespaces() : undefined,
    uses.filesystem ? chapter.filesystem() : undefined,
    overlay ? chapter.overlayfs() : undefined,
    secure ? chapter.security() : undefined,
  ]);
}

/**
 * -t: ask carton for a terminal in the devpts we see now, and make its slave our stdin,
 * stdout, stderr and controlling terminal. carton allocates the pair (it opens our
 * /proc/<pid>/root/dev/pts/ptmx: see pty.ts) and keeps the master; we open the slave by the
 * name the container will know it by, /dev/pts/N, so that `tty` and /proc/self/fd/0 agree.
 */
function takeTerminal(user: User, userns = false): void {
  writeLine(SYNC_FD, { devpts: true });
  const answer = readMessage<TerminalMessage>(SYNC_FD, 'tty');
  if (answer === null) process.exit(125);
  const { tty } = answer;
  const slave = sys.open(tty, sys.O_RDWR | sys.O_NOCTTY);
  for (const fd of [0, 1, 2]) sys.dup2(slave, fd); // dup2 leaves FD_CLOEXEC off on 0-2
  sys.close(slave);
  // carton spawned us with `detached: true`, which is setsid(): we lead a session with no
  // controlling terminal yet (with --userns=private it was unshare(1) that carton spawned so:
  // we start a session of our own). TIOCSCTTY makes the slave that terminal, so that Ctrl-C typed
  // at it becomes SIGINT for the container's foreground process group (ioctl_tty(2)).
  if (userns) sys.setsid();
  sys.ioctlInt(0, sys.TIOCSCTTY, 0);
  // The slave belongs to carton's user (root), mode 0620: hand it to the container's user,
  // as runc does (fixStdioPermissions), so that programs that reopen their tty by name work.
  if (user.uid !== 0) fchownSync(0, user.uid, -1);
}

type InRoot = (path: string, kind: 'dir' | 'file') => { path: string; close(): void };

function mountVolumes(root: string, mounts: Mount[], inRoot?: InRoot): void {
  for (const m of mounts) {
    const isDir = m.type === 'tmpfs' || statSync(m.source).isDirectory();
    const at = inRoot?.(m.target, isDir ? 'dir' : 'file');
    const target = at?.path ?? join(root, m.target);
    if (!at && isDir) mkdirSync(target, { recursive: true });
    else if (!at && !existsSync(target)) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, '');
    }
    if (m.type === 'tmpfs') sys.mount('tmpfs', target, 'tmpfs', sys.MS_NOSUID | sys.MS_NODEV, m.options || null);
    else {
      sys.mount(m.source, target, null, sys.MS_BIND | sys.MS_REC);
      // The fd still names the directory *under* the new mount: look it up again, safely,
      // to reach the mount itself for the read-only remount.
      const mounted = at && m.readOnly ? inRoot!(m.target, isDir ? 'dir' : 'file') : undefined;
      if (m.readOnly) sys.mount(null, mounted?.path ?? target, null, sys.MS_BIND | sys.MS_REMOUNT | sys.MS_RDONLY);
      mounted?.close();
    }
    at?.close();
  }
}

/**
 * Between "ready" and "go" carton writes to us (the go itself): if we failed meanwhile, stay
 * until it has, so that its write does not meet a closed socket. Node destroys a socket on
 * EPIPE before reading what is left in it, and our failure report would be lost.
 */
let awaitingGo = false;

main().catch((error: unknown) => failStage(SYNC_FD, error, awaitingGo ? () => readMessage(SYNC_FD, 'go') : undefined));
