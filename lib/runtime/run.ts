// `carton run` after parsing: create the record, then either stay attached (foreground:
// this process waits, relays signals, and records the end) or hand the container to a
// monitor process and return its id (-d).
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { exitStatus, finish, healthWatcher, launch } from './lifecycle.js';
import { nodeProgram } from './launch.js';
import { StartError } from './start-error.js';
import { logWriter } from './logs.js';
import type { ContainerRecord } from './state.js';

/**
 * carton's stdout closing (`carton run … | head`) ends carton (lib/cli/carton.js exits on
 * EPIPE): a foreground run must go on to wait for its container instead, which meets the
 * closed pipe itself. Returns how to put the exit back.
 */
function keepRunningOnEpipe(): () => void {
  const saved = [process.stdout, process.stderr].map((s) => [s, s.listeners('error')] as const);
  for (const [stream, listeners] of saved) for (const l of listeners) stream.off('error', l as (e: Error) => void);
  return () => {
    for (const [stream, listeners] of saved) for (const l of listeners) if (!stream.listeners('error').includes(l)) stream.on('error', l as (e: Error) => void);
  };
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/** Foreground: resolves to the container's exit status. */
export async function runAttached(record: ContainerRecord, level: number): Promise<number> {
  // Listen before starting: a signal that arrives while the container starts must not kill
  // carton (the default action), but be delivered once the container runs.
  // To the container's first process (with --userns=private not our child, but unshare(1)'s).
  let child: { kill(signal: NodeJS.Signals): void } | undefined;
  const pending: NodeJS.Signals[] = [];
  const relay = (signal: NodeJS.Signals) => (child ? child.kill(signal) : pending.push(signal));
  for (const signal of FORWARDED) process.on(signal, relay);
  // Docker logs every container, the foreground ones too (`carton logs` works on them after).
  const log = record.log?.driver === 'none' ? undefined : logWriter(record.id, () => {}, record.log);
  const restore = keepRunningOnEpipe();
  try {
    const running = await launch(record, level, { kind: 'inherit', log: log && ((stream, data) => log.write(stream, data)) });
    child = { kill: (signal) => { try { process.kill(running.pid, signal); } catch { /* gone */ } } };
    for (const signal of pending) child.kill(signal);
    const health = await healthWatcher(record.id, record.healthcheck !== undefined, level);
    try {
      const status = exitStatus(await running.exited); // its output drained
      log?.flush();
      restore();
      health.stop();
      const final = finish(record.id, status);
      // OOMKilled (as Docker's State.OOMKilled) says the OOM killer struck in the container's
      // cgroup; the container itself was its victim only if it ended by SIGKILL.
      if (final.oomKilled) oomNotice(record.name, status);
      return status;
    } finally {
      health.stop();
      running.close();
    }
  } finally {
    restore(); // also when the container never started
    for (const signal of FORWARDED) process.off(signal, relay);
  }
}

/**
 * `run -t` on a terminal: the container starts under its monitor, holding its output, and
 * this terminal attaches to it at once. The detach keys leave it running (exit 0, as Docker's
 * run); otherwise the container's status, as a foreground run's.
 */
export async function runOnTerminal(record: ContainerRecord, level: number, keys: Buffer): Promise<number> {
  const size = { rows: process.stdout.rows || 24, columns: process.stdout.columns || 80 };
  await runDetached(record, level, size);
  const { attachTo } = await import('./attach-client.js');
  const end = await attachTo(record, { keys, withInput: record.interactive, relay: ['SIGINT', 'SIGTERM', 'SIGHUP'] });
  if (end.detached) return 0;
  if (!end.ended) return (await import('./control.js')).waitContainer(record.id); // the monitor went before it could say
  if (end.ended.oomKilled) oomNotice(record.name, end.ended.status);
  return end.ended.status;
}

/** OOMKilled (as Docker's State.OOMKilled): the OOM killer struck in the container's cgroup; it was its victim if it ended by SIGKILL. */
function oomNotice(name: string, status: number): void {
  process.stderr.write(status === 137
    ? `carton: container ${name} was killed by the kernel's OOM killer: it reached its memory limit (-m)\n`
    : `carton: a process of container ${name} was killed by the kernel's OOM killer: the container reached its memory limit (-m)\n`);
}

/** Detached: start a monitor, wait for "started" (or the failure), return the id. `hold`: run -it's terminal size (see runOnTerminal). */
export async function runDetached(record: ContainerRecord, level: number, hold?: { rows: number; columns: number }): Promise<string> {
  const monitor = spawn(process.execPath, [...nodeProgram('monitor'), record.id, String(level), ...(hold ? [`hold:${hold.rows}x${hold.columns}`] : [])], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'], // nothing of ours: the monitor outlives this process
    env: process.env,
  });
  const report = monitor.stdio[3] as Readable;
  const line = await new Promise<string>((resolve) => {
    let text = '';
    report.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    report.on('close', () => resolve(text || '{"error":"the monitor exited before starting the container","exitCode":125}'));
  });
  report.destroy();
  monitor.unref();
  const message = JSON.parse(line) as { started?: string; error?: string; hint?: string; exitCode?: number };
  if (message.error) throw new StartError(message.error, message.hint, message.exitCode ?? 125);
  return record.id;
}
