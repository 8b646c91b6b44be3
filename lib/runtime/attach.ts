// carton attach: the monitor of a detached container holds its output, its stdin (with -i)
// and its terminal (with -t), and serves them on a Unix socket in the container's run
// directory (root's only: the directory is 0700). Frames, as Docker's attach stream: a type
// byte, a 4-byte big-endian length, the bytes. The monitor sends 1 stdout and 2 stderr; a
// client sends 0 stdin, 3 a terminal size (rows, columns: two 16-bit numbers), 4 end of input;
// the monitor's last frame, 5, is the container's end as JSON ({"status":N,"oomKilled":B}),
// which a client of a --rm container can learn no other way.
//
// `carton run -it` is such a client too (Docker's run is create, attach, start): its monitor
// holds the container's output until it connects, so not a byte (a shell's first prompt) is
// lost, and Ctrl-P Ctrl-Q leaves the container running in the background.
import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Running } from './start.js';
import { runDir } from './start.js';

export const FRAME = { stdin: 0, stdout: 1, stderr: 2, resize: 3, end: 4, exit: 5 } as const;

/** How a container ended, as the exit frame carries it. */
export interface Ended {
  status: number;
  oomKilled: boolean;
}

/** The most output held for a first client (`hold`): beyond it the oldest goes (the log has it all). */
const HELD = 1 << 20;

export const attachSocket = (id: string): string => join(runDir(id), 'attach.sock');

export function frame(type: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head[0] = type;
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

/** Split a byte stream into frames, calling `on` for each whole one. */
export function deframer(on: (type: number, payload: Buffer) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 5) {
      const length = pending.readUInt32BE(1);
      if (pending.length < 5 + length) break;
      on(pending[0], pending.subarray(5, 5 + length));
      pending = pending.subarray(5 + length);
    }
  };
}

/**
 * The monitor's side: serve the running container to attached clients. With `hold`, output
 * is kept until the first client connects, then given to it (carton run -it's own client).
 */
export function serveAttach(id: string, running: Running, hold = false): { broadcast(stream: 'stdout' | 'stderr', data: Buffer): void; close(ended?: Ended): void; firstClient(ms: number): Promise<void> } {
  const clients = new Set<Socket>();
  let connected: () => void = () => {};
  const first = new Promise<void>((resolve) => (connected = resolve));
  let held: Buffer[] | undefined = hold ? [] : undefined;
  let heldBytes = 0;
  const path = attachSocket(id);
  rmSync(path, { force: true });
  const server: Server = createServer((socket) => {
    clients.add(socket);
    connected();
    if (held) {
      for (const bytes of held) socket.write(bytes);
      held = undefined;
    }
    socket.on('data', deframer((type, payload) => {
      if (type === FRAME.stdin) running.input(payload);
      else if (type === FRAME.resize && payload.length === 4) running.resize(payload.readUInt16BE(0), payload.readUInt16BE(2));
      else if (type === FRAME.end) running.endInput();
    }));
    socket.on('error', () => clients.delete(socket));
    socket.on('close', () => clients.delete(socket));
  });
  server.on('error', () => {}); // no attach for this container, but it runs on
  server.listen(path, () => {
    try {
      chmodSync(path, 0o600);
    } catch {
      // gone meanwhile
    }
  });
  server.unref();
  const send = (bytes: Buffer) => {
    if (held) {
      held.push(bytes);
      heldBytes += bytes.length;
      while (heldBytes > HELD && held.length > 1) heldBytes -= held.shift()!.length;
    }
    for (const c of clients) c.write(bytes);
  };
  return {
    broadcast(stream, data) {
      send(frame(stream === 'stdout' ? FRAME.stdout : FRAME.stderr, data));
    },
    /** Resolves once a client has connected, or after `ms` (it never came). */
    firstClient(ms) {
      let timer: NodeJS.Timeout | undefined;
      return Promise.race([first, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
    },
    close(ended) {
      if (ended) send(frame(FRAME.exit, Buffer.from(JSON.stringify(ended))));
      for (const c of clients) c.end();
      server.close();
      rmSync(path, { force: true });
    },
  };
}
