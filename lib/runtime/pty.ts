// A pseudo-terminal for `carton run -t` and `carton exec -t`: carton keeps the master side,
// the container's process gets the slave side as its stdin, stdout and stderr (and makes it
// its controlling terminal). The steps are those of posix_openpt(3), unlockpt(3) and
// ptsname(3), through ioctl(2) (see pty(7), pts(4), ioctl_tty(2)).
//
// Which ptmx is opened decides where the pair lives. Every devpts mount made with
// `newinstance` is a separate set of terminals, and opening its `ptmx` allocates a pair in
// that instance (the kernel's Documentation/filesystems/devpts.rst). The container mounts a
// devpts instance of its own on /dev/pts, so its terminal must come from *that* ptmx:
// a pair from the host's /dev/ptmx is /dev/pts/N of the host, which the container cannot
// see (`tty` says "not a tty", /dev/pts/N does not exist inside).
//
// runc has the container's init open /dev/ptmx inside the container and send the master fd
// back over a unix socket (SCM_RIGHTS, `--console-socket`). Node cannot send an arbitrary fd
// over a socket, but carton is root on the same host: it opens the container's ptmx through
// /proc/<pid>/root, the root directory of a process of the container, which is the
// container's own mount tree. The master is then a terminal of the container's devpts.
import { openSync, statfsSync, constants } from 'node:fs';
import { join } from 'node:path';
import * as tty from 'node:tty';
import * as sys from '../sys/index.js';
import { CartonError } from '../sys/index.js';

export interface Pty {
  master: number;
  /** The slave as processes under `root` name it: /dev/pts/N. */
  slavePath: string;
}

/** Is `<root>/dev/pts` a devpts mount? statfs(2) f_type tells, whatever the path looks like. */
export function hasDevpts(root: string): boolean {
  try {
    return statfsSync(join(root, 'dev/pts')).type === sys.DEVPTS_SUPER_MAGIC;
  } catch {
    return false;
  }
}

/**
 * Allocate a pty pair in the devpts mounted at `<root>/dev/pts` (root: `/` for the host's,
 * `/proc/<pid>/root` for a container's) and return its master, unlocked.
 */
export function newPty(root: string): Pty {
  const pts = join(root, 'dev/pts');
  if (!hasDevpts(root)) throw new CartonError(`allocate a terminal: ${sys.q(pts)} is not a devpts mount`);
  const master = sys.open(join(pts, 'ptmx'), sys.O_RDWR | sys.O_NOCTTY | sys.O_CLOEXEC);
  try {
    // A new slave starts locked: opening it fails (EIO) until TIOCSPTLCK with 0 (unlockpt).
    sys.ioctlBuffer(master, sys.TIOCSPTLCK, Buffer.alloc(4));
    const number = Buffer.alloc(4); // TIOCGPTN: the N of /dev/pts/N, in this devpts instance
    sys.ioctlBuffer(master, sys.TIOCGPTN, number);
    return { master, slavePath: `/dev/pts/${number.readInt32LE(0)}` };
  } catch (error) {
    sys.close(master);
    throw error;
  }
}

/**
 * A pty pair with both ends open here (carton exec, which hands the slave to spawn): in the
 * devpts of `root`, the slave opened through the same root. O_NOCTTY: carton must not make
 * it its own controlling terminal.
 */
export function openPty(root = '/'): Pty & { slave: number } {
  const pty = newPty(root);
  const slave = openSync(join(root, pty.slavePath), constants.O_RDWR | constants.O_NOCTTY);
  return { ...pty, slave };
}

/**
 * Where `carton exec -t` allocates its terminal: in the container's own devpts (seen through
 * /proc/<pid>/root), or on the host if the container has none (CARTON_CHAPTER below 3).
 */
export function terminalRoot(pid: number): string {
  const root = `/proc/${pid}/root`;
  return hasDevpts(root) ? root : '/';
}

/**
 * Output may still be in flight when a process exits: wait for it to drain, but never long.
 * The timer is cleared once the output has drained: a pending timer keeps Node's event loop,
 * and so carton, alive to its end, which made every `carton run` 200 ms slower.
 */
export function settled(drained: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise((resolve) => (timer = setTimeout(resolve, 200)));
  return Promise.race([drained, limit]).finally(() => clearTimeout(timer));
}

/** struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; } */
export function setWindowSize(fd: number, rows: number, columns: number): void {
  const winsize = Buffer.alloc(8);
  winsize.writeUInt16LE(rows, 0);
  winsize.writeUInt16LE(columns, 2);
  sys.ioctlBuffer(fd, sys.TIOCSWINSZ, winsize);
}

/**
 * Connect the host terminal to the pty master: raw mode on the host (so Ctrl-C, arrows and
 * tabs reach the container's line discipline instead of ours), window size now and on every
 * SIGWINCH. Returns a function that restores the host terminal; call it on every exit path.
 */
export function attachTerminal(pty: Pty, onEnd: () => void, onOutput?: (data: Buffer) => void): () => void {
  const master = new tty.ReadStream(pty.master);
  const input = process.stdin;
  const output = process.stdout;
  const resize = () => {
    if (output.isTTY) setWindowSize(pty.master, output.rows, output.columns);
  };
  resize();
  output.on('resize', resize);
  const wasRaw = input.isTTY ? input.isRaw : false;
  if (input.isTTY) input.setRawMode(true);
  const forward = (chunk: Buffer) => master.write(chunk);
  input.on('data', forward);
  input.resume();
  master.on('data', (chunk: Buffer) => {
    onOutput?.(chunk);
    output.write(chunk);
  });
  // EIO when the last slave fd closes: the container's side of the terminal is gone.
  master.on('error', () => onEnd());
  master.on('end', () => onEnd());
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    output.off('resize', resize);
    input.off('data', forward);
    input.pause();
    if (input.isTTY) input.setRawMode(wasRaw);
    master.destroy();
  };
}
