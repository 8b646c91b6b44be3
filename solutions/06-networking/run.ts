// Running `ip` and `nft`. carton talks to the kernel's network stack through iproute2 and
// nftables rather than hand-written netlink messages: the commands are what a learner types
// while exploring, and their error messages are already good. A failure becomes a
// CartonError naming the command, the object it was acting on, and what the tool said.
import { execFileSync } from 'node:child_process';
import { CartonError, q } from '../../lib/sys/errors.js';

export class NetworkError extends CartonError {}

function hintFor(stderr: string): string {
  if (/Operation not permitted/.test(stderr)) return 'network changes need root (CAP_NET_ADMIN): run it with sudo';
  if (/File exists/.test(stderr)) return 'an interface or address of that name already exists: remove it or pick another name';
  if (/Cannot find device|does not exist/.test(stderr)) return 'the interface is gone: was the container or the bridge removed already?';
  if (/No such file or directory/.test(stderr)) return 'the object does not exist (a table, chain or namespace that was already removed?)';
  return 'run the same command by hand to see more: it is shown above';
}

/** Run a command; on failure throw a NetworkError about `object`. */
export function run(command: string, args: string[], object: string, input?: string): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const stderr = (e.stderr ?? e.message).trim();
    throw new NetworkError(`${command} ${args.join(' ')} (${q(object)}): ${stderr}`, hintFor(stderr));
  }
}

export const ip = (args: string[], object: string): string => run('ip', args, object);

/** `ip` inside the network namespace of `pid` (nsenter needs no named netns). */
export const ipIn = (pid: number, args: string[], object: string): string =>
  run('nsenter', [`--net=/proc/${pid}/ns/net`, 'ip', ...args], object);

/** Apply an nft script atomically: all of it or none of it. */
export const nft = (script: string, object: string): string => run('nft', ['-f', '-'], object, script);

/** Does an interface of this name exist in the host's namespace? */
export function linkExists(name: string): boolean {
  try {
    execFileSync('ip', ['link', 'show', 'dev', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
