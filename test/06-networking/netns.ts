// Helpers for the kernel tests: "containers" that are just a sleep in a fresh network
// namespace, commands run inside a namespace, and small TCP servers and clients that tell
// who they are talking to. Everything named here carries a random suffix, so runs never
// collide, and everything started is remembered so that cleanup() can end it by pid.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { collect } from '../helpers/index.js';

export const suffix = (): string => randomBytes(3).toString('hex');

const started: ChildProcess[] = [];

function sleepMs(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A process alone in a new network namespace (util-linux unshare execs sleep in it). */
export async function startNetns(): Promise<number> {
  const child = spawn('unshare', ['--net', 'sleep', '120'], { stdio: 'ignore' });
  started.push(child);
  const pid = child.pid!;
  const ours = readlinkSync('/proc/self/ns/net');
  for (let i = 0; i < 200; i++) {
    try {
      if (readlinkSync(`/proc/${pid}/ns/net`) !== ours) return pid;
    } catch {
      // not there yet
    }
    await sleepMs(10);
  }
  throw new Error('unshare --net did not start');
}

/** Run a command in the network namespace of `pid` (or of a named netns path). */
export function inNs(ns: number | string, command: string[]): string {
  const path = typeof ns === 'number' ? `/proc/${ns}/ns/net` : ns;
  return execFileSync('nsenter', [`--net=${path}`, ...command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function ipJson<T>(ns: number | string, args: string[]): T {
  return JSON.parse(inNs(ns, ['ip', '-j', ...args])) as T;
}

const serverCode = `const net = require('node:net');
net.createServer((s) => s.end(s.remoteAddress.replace('::ffff:', '')))
  .listen(Number(process.argv[1]), '0.0.0.0', () => console.log('ready'));`;

/** A TCP server in a namespace that answers every connection with the client's address. */
export async function startWhoAmI(ns: number | string, port: number): Promise<void> {
  const path = typeof ns === 'number' ? `/proc/${ns}/ns/net` : ns;
  const child = spawn('nsenter', [`--net=${path}`, process.execPath, '-e', serverCode, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('close', (code) => reject(new Error(`server ended with status ${code}`)));
  });
}

const clientCode = `const s = require('node:net').connect(Number(process.argv[2]), process.argv[1]);
let d = ''; s.on('data', (x) => (d += x)); s.on('end', () => { console.log(d); process.exit(0); });
s.on('error', (e) => { console.error(e.message); process.exit(1); });
setTimeout(() => { console.error('timeout'); process.exit(2); }, 4000);`;

/** Connect from a namespace (null: the host) and return what the server said, or throw. */
export async function askWho(ns: number | string | null, host: string, port: number): Promise<string> {
  const node = [process.execPath, '-e', clientCode, host, String(port)];
  const command = ns === null ? node : ['nsenter', `--net=${typeof ns === 'number' ? `/proc/${ns}/ns/net` : ns}`, ...node];
  const r = await collect(spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] }));
  if (r.status !== 0) throw new Error(`connect ${host}:${port} failed: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** End every process this file started, by pid. */
export function stopAll(): void {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** Run a cleanup step and carry on if it fails: cleanup must get as far as it can. */
export function tryTo(step: () => void): void {
  try {
    step();
  } catch {
    // already gone
  }
}
