// A pseudo-terminal for `carton run -t`: carton keeps the master side, the container gets
// the slave side as its stdin, stdout and stderr (and makes it its controlling terminal).
// The steps are those of posix_openpt(3), unlockpt(3) and ptsname(3), through ioctl(2).
import { openSync, constants } from 'node:fs';
import * as tty from 'node:tty';
import * as sys from '../sys/index.js';

export interface Pty {
  master: number;
  slave: number;
  slavePath: string;
}

export function openPty(): Pty {
  const master = sys.open('/dev/ptmx', sys.O_RDWR | sys.O_NOCTTY | sys.O_CLOEXEC);
  const unlock = Buffer.alloc(4); // int 0: unlock the slave
  sys.ioctlBuffer(master, sys.TIOCSPTLCK, unlock);
  const number = Buffer.alloc(4);
  sys.ioctlBuffer(master, sys.TIOCGPTN, number);
  const slavePath = `/dev/pts/${number.readInt32LE(0)}`;
  const slave = openSync(slavePath, constants.O_RDWR | constants.O_NOCTTY);
  return { master, slave, slavePath };
}

/** Output may still be in flight when a process exits: wait for it to drain, but never long. */
export function settled(drained: Promise<unknown>): Promise<unknown> {
  return Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 200))]);
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
export function attachTerminal(pty: Pty, onEnd: () => void): () => void {
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
  master.on('data', (chunk: Buffer) => output.write(chunk));
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
