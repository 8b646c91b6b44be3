// `carton oci run`: create and start in one, then (unless --detach) wait for the container's
// init, which is this process's child, relay signals to it, delete the container (unless
// --keep) and exit with its status, as `runc run` does.
import { CartonError } from '../sys/index.js';
import { exitStatus } from '../runtime/lifecycle.js';
import { create, type CreateOptions } from './create.js';
import { remove_, start } from './lifecycle.js';

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];

export async function runBundle(options: CreateOptions, detach: boolean, keep: boolean): Promise<number> {
  if (detach && keep) throw new CartonError('run: --keep and --detach cannot be used together');
  const { child } = await create(options);
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
  try {
    await start(options.root, options.id, options.warn);
  } catch (error) {
    await remove_(options.root, options.id, true, options.warn);
    throw error;
  }
  if (detach) {
    child.unref();
    return 0;
  }
  const relay = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, relay);
  const status = exitStatus(await exited);
  for (const s of FORWARDED) process.off(s, relay);
  if (!keep) await remove_(options.root, options.id, true, options.warn);
  return status;
}
