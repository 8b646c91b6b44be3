// Running `ip` and `nft`. carton talks to the kernel's network stack through iproute2 and
// nftables rather than hand-written netlink messages: the commands are what a learner types
// while exploring, and their error messages are already good. A failure becomes a
// CartonError naming the command, the object it was acting on, and what the tool said.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

// Each `ip` is a process start (10-20 ms here); `ip -batch -` runs many commands in one,
// stopping at the first that fails and naming its line ("Command failed -:3").
/** Several `ip` commands (one per entry, without the leading "ip") in one process. */
export const ipBatch = (commands: string[][], object: string, prefix: string[] = []): string => {
  try {
    return run(prefix[0] ?? 'ip', [...prefix.slice(1), ...(prefix.length ? ['ip'] : []), '-batch', '-'], object, commands.map((c) => c.join(' ')).join('\n') + '\n');
  } catch (err) {
    // Name the command that failed, as if it had been run alone.
    const e = err as NetworkError;
    const line = /Command failed -:(\d+)/.exec(e.message);
    const failed = line ? commands[Number(line[1]) - 1] : undefined;
    if (!failed) throw err;
    const said = e.message.slice(e.message.indexOf('): ') + 3).replace(/\s*Command failed -:\d+\s*$/, '');
    throw new NetworkError(`${[...prefix, 'ip', ...failed].join(' ')} (${q(object)}): ${said}`, e.hint);
  }
};

/** `ip -batch` inside the network namespace of `pid` (nsenter needs no named netns). */
export const ipBatchIn = (pid: number, commands: string[][], object: string): string =>
  ipBatch(commands, object, ['nsenter', `--net=/proc/${pid}/ns/net`]);

/** Apply an nft script atomically: all of it or none of it. */
export const nft = (script: string, object: string): string => run('nft', ['-f', '-'], object, script);

/**
 * Does an interface of this name exist in the host's namespace? sysfs lists the interfaces
 * of the network namespace that mounted it (the host's, for carton), without a process.
 */
export function linkExists(name: string): boolean {
  return existsSync(`/sys/class/net/${name}`);
}
