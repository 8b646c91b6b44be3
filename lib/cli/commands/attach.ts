// carton attach: a detached container's output, and its input with -i or its terminal with
// -t, through its monitor's socket (lib/runtime/attach.ts). Ctrl-P Ctrl-Q (--detach-keys)
// leaves it running; otherwise attach ends with the container, with its exit status.
import type { Command } from '../command.js';
import { requireOperands, UsageError } from '../args.js';
import { q } from '../../sys/index.js';
import * as engine from '../../runtime/engine.js';
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
  details: 'A container of run -d, start, or run -it on a terminal can be attached; a foreground one without a terminal has its output on the terminal that runs it.',
  async run(flags, operands) {
    requireOperands('attach', operands, 1, 'CONTAINER', true);
    requireRoot('attach');
    await engine.recover();
    const record = engine.find(operands[0]);
    const keys = detachKeys((flags['detach-keys'] as string | undefined) ?? 'ctrl-p,ctrl-q');
    const withInput = !flags['no-stdin'] && record.interactive;
    // --sig-proxy (default): Ctrl-C and the like go to the container, as if it ran here; on a
    // terminal in raw mode, Ctrl-C is a byte for the container's own terminal instead.
    const raw = withInput && record.tty && !!process.stdin.isTTY;
    const relay = flags['sig-proxy'] !== 'false' && !raw ? (['SIGINT', 'SIGTERM', 'SIGHUP'] as NodeJS.Signals[]) : [];
    const end = await engine.attach(record, { keys, withInput, relay });
    if (end.detached) {
      process.stderr.write('read escape sequence\n'); // as Docker's, with its status 1
      return 1;
    }
    return end.ended?.status ?? engine.wait(record);
  },
};
