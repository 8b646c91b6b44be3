// carton attach: a detached container's output, and its input with -i or its terminal with
// -t, through its monitor's socket (lib/runtime/attach.ts). Ctrl-P Ctrl-Q (--detach-keys)
// leaves it running; otherwise attach ends with the container, with its exit status.
import { connect } from 'node:net';
import type { Command } from '../command.js';
import { requireOperands, UsageError } from '../args.js';
import { CartonError, q } from '../../sys/index.js';
import { reconcile } from '../../runtime/lifecycle.js';
import { attachSocket, deframer, frame, FRAME } from '../../runtime/attach.js';
import { waitContainer } from '../../runtime/control.js';
import { findContainer } from '../../runtime/state.js';
import { requireRoot } from '../privileges.js';

/** Docker's --detach-keys: "ctrl-p,ctrl-q", "ctrl-a,x", … as the bytes they send. */
export function detachKeys(spec: string): Buffer {
  return Buffer.from(spec.split(',').map((key) => {
    const k = key.trim().toLowerCase();
    const ctrl = /^ctrl-([a-z@\[\\\]^_])$/.exec(k);
    if (ctrl) return ctrl[1].charCodeAt(0) & 0x1f;
    if (k.length === 1) return k.charCodeAt(0);
    throw new UsageError(`invalid detach keys ${q(spec)}`, 'e.g. ctrl-p,ctrl-q or ctrl-a,d');
  }));
}

export const attach: Command = {
  name: 'attach',
  summary: 'Attach local standard input, output, and error streams to a running container',
  usage: '[OPTIONS] CONTAINER',
  flags: [
    { name: 'no-stdin', kind: 'bool', description: 'Do not attach STDIN' },
    { name: 'detach-keys', kind: 'string', value: 'string', description: 'Override the key sequence for detaching a container (default "ctrl-p,ctrl-q")' },
    { name: 'sig-proxy', kind: 'string', value: 'bool', description: 'Proxy all received signals to the process (default true)' },
  ],
  details: 'Only a detached container (run -d, start) can be attached: a foreground one\'s output is on the terminal that runs it.',
  async run(flags, operands) {
    requireOperands('attach', operands, 1, 'CONTAINER', true);
    requireRoot('attach');
    reconcile();
    const record = findContainer(operands[0]);
    if (record.status !== 'running' && record.status !== 'paused') throw new CartonError('You cannot attach to a stopped container, start it first', `carton start ${record.name}`);
    if (!record.detached) throw new CartonError(`container ${record.name} runs in the foreground: its streams are on the terminal that started it`);
    const keys = detachKeys((flags['detach-keys'] as string | undefined) ?? 'ctrl-p,ctrl-q');
    const socket = connect(attachSocket(record.id));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', (e) => reject(new CartonError(`attach to container ${record.name}: ${(e as NodeJS.ErrnoException).code}`, 'its monitor does not serve attach (started by an older carton?)')));
    });
    const stdin = process.stdin;
    const withInput = !flags['no-stdin'] && record.interactive;
    const raw = withInput && record.tty && stdin.isTTY;
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
    if (withInput) {
      stdin.on('data', onInput);
      stdin.on('end', () => socket.write(frame(FRAME.end, Buffer.alloc(0))));
      stdin.resume();
    }
    // --sig-proxy (default): Ctrl-C and the like go to the container, as if it ran here.
    const proxy = flags['sig-proxy'] !== 'false' && !raw;
    const relay = (signal: NodeJS.Signals) => {
      try {
        process.kill(findContainer(record.id).pid ?? 0, signal);
      } catch {
        // ended meanwhile
      }
    };
    if (proxy) for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, relay);
    socket.on('data', deframer((type, payload) => {
      if (type === FRAME.stdout) process.stdout.write(payload);
      else if (type === FRAME.stderr) process.stderr.write(payload);
    }));
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    if (raw) stdin.setRawMode(false);
    stdin.pause();
    stdin.off('data', onInput);
    process.stdout.off('resize', sendSize);
    if (proxy) for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, relay);
    if (detached) {
      process.stderr.write('read escape sequence\n'); // as Docker's, with its status 1
      return 1;
    }
    return waitContainer(record.id);
  },
};
