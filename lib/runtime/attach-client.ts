// The client's side of attach (lib/runtime/attach.ts serves it): this terminal's input to the
// container, its output here, the terminal's size on every resize, and the detach keys
// (Ctrl-P Ctrl-Q by default) watched for in raw mode. Used by `carton attach` and by
// `carton run -it`, whose container its monitor holds.
import { connect } from 'node:net';
import { CartonError } from '../sys/index.js';
import { attachSocket, deframer, frame, FRAME, type Ended } from './attach.js';
import { findContainer, type ContainerRecord } from './state.js';

export interface AttachOptions {
  /** The detach sequence, as bytes. */
  keys: Buffer;
  /** Send this terminal's input (-i, and not --no-stdin). */
  withInput: boolean;
  /**
   * The signals to relay to the container's process: attach's --sig-proxy (without a terminal),
   * run -it's SIGINT, SIGTERM and SIGHUP (a hang-up of this terminal, as a terminal close would reach it).
   */
  relay: NodeJS.Signals[];
}

/** How an attach ended: detached by the keys, or the container's end (undefined if the monitor went first). */
export type AttachEnd = { detached: true } | { detached: false; ended?: Ended };

export async function attachTo(record: ContainerRecord, options: AttachOptions): Promise<AttachEnd> {
  const socket = connect(attachSocket(record.id));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', (e) => reject(new CartonError(`attach to container ${record.name}: ${(e as NodeJS.ErrnoException).code}`, 'its monitor does not serve attach (started by an older carton?)')));
  });
  socket.on('error', () => {}); // the monitor went away: 'close' follows
  const stdin = process.stdin;
  const raw = options.withInput && record.tty && stdin.isTTY;
  if (raw) stdin.setRawMode(true);
  const sendSize = () => {
    if (!record.tty || !process.stdout.isTTY) return;
    const size = Buffer.alloc(4);
    size.writeUInt16BE(process.stdout.rows, 0);
    size.writeUInt16BE(process.stdout.columns, 2);
    socket.write(frame(FRAME.resize, size));
  };
  sendSize();
  process.stdout.on('resize', sendSize);
  let detached = false;
  let matched = 0;
  const keys = options.keys;
  const onInput = (data: Buffer) => {
    // The detach sequence is watched for on a terminal (as Docker, in raw mode); the bytes of
    // a partial match are held until it is clear they are not the sequence.
    if (raw) {
      const out: number[] = [];
      for (const byte of data) {
        if (byte === keys[matched]) {
          matched++;
          if (matched === keys.length) {
            detached = true;
            socket.end();
            return;
          }
          continue;
        }
        out.push(...keys.subarray(0, matched), byte);
        matched = 0;
      }
      if (out.length) socket.write(frame(FRAME.stdin, Buffer.from(out)));
    } else socket.write(frame(FRAME.stdin, data));
  };
  if (options.withInput) {
    stdin.on('data', onInput);
    stdin.on('end', () => socket.write(frame(FRAME.end, Buffer.alloc(0))));
    stdin.resume();
  }
  const signalContainer = (signal: NodeJS.Signals) => {
    try {
      process.kill(findContainer(record.id).pid ?? 0, signal);
    } catch {
      // ended meanwhile
    }
  };
  const relayed = (signal: NodeJS.Signals) => {
    // After a hang-up nothing can be written to the terminal any more: that is no error of ours.
    if (signal === 'SIGHUP') for (const out of [process.stdout, process.stderr]) out.on('error', () => {});
    signalContainer(signal);
  };
  for (const s of options.relay) process.on(s, relayed);
  let ended: Ended | undefined;
  socket.on('data', deframer((type, payload) => {
    if (type === FRAME.stdout) process.stdout.write(payload);
    else if (type === FRAME.stderr) process.stderr.write(payload);
    else if (type === FRAME.exit) ended = JSON.parse(payload.toString()) as Ended;
  }));
  await new Promise<void>((resolve) => socket.on('close', () => resolve()));
  if (raw) stdin.setRawMode(false);
  stdin.pause();
  stdin.off('data', onInput);
  process.stdout.off('resize', sendSize);
  for (const s of options.relay) process.off(s, relayed);
  return detached ? { detached } : { detached, ended };
}
