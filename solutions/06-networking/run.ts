// Talking to the kernel's network stack. carton sends rtnetlink messages itself (lib/sys/
// netlink.ts: what `ip` does under the hood) and hands its nft scripts to libnftables (the
// library behind the `nft` command), so setting up a container's network starts no process.
// Each request is named after the `ip` or `nft` command that does the same, so the lesson's
// shell steps and carton's errors speak one language. A failure becomes a NetworkError naming
// that command, the object it was acting on, the errno and what the kernel said.
import { existsSync } from 'node:fs';
import { errnoText } from '../../lib/sys/errno.js';
import { CartonError, q } from '../../lib/sys/errors.js';
import { hostNetlink, inNetnsOf, NetlinkError, type Rtnetlink } from '../../lib/sys/netlink.js';
import { NftError, nftRun } from '../../lib/sys/nftables.js';

export class NetworkError extends CartonError {}
export type { Rtnetlink };

const hints: Record<string, string> = {
  EPERM: 'network changes need root (CAP_NET_ADMIN): run it with sudo',
  EEXIST: 'an interface or address of that name already exists: remove it or pick another name',
  ENODEV: 'the interface is gone: was the container or the bridge removed already?',
  ESRCH: 'the container\'s process is gone: did it exit already?',
  EOPNOTSUPP: 'the kernel lacks this kind of interface (is the veth or bridge module available?): see `carton doctor`',
};

function nftHint(said: string): string {
  if (/Operation not permitted/.test(said)) return hints.EPERM;
  if (/No such file or directory/.test(said)) return 'the object does not exist (a table, chain or set that was already removed?)';
  return 'run the same script by hand with `nft -f FILE` to see more';
}

/** Run `fn`; a refused netlink request or nft script becomes a NetworkError about `object`. */
export function onNetwork<T>(object: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof NetlinkError) {
      throw new NetworkError(`${err.command} (${q(object)}): ${err.code} (${errnoText(err.errno)})${err.said ? `: ${err.said}` : ''}`, hints[err.code] ?? err.hint);
    }
    if (err instanceof NftError) throw new NetworkError(`nft -f - (${q(object)}): ${err.said}`, nftHint(err.said));
    throw err;
  }
}

/** The rtnetlink socket in the host's network namespace. */
export const host = (): Rtnetlink => hostNetlink();

/** Run `fn` with an rtnetlink socket inside the network namespace of `pid` (no process, no nsenter). */
export const inside = <T>(pid: number, object: string, fn: (nl: Rtnetlink) => T): T =>
  onNetwork(object, () => inNetnsOf(pid, object, fn));

/** Apply an nft script atomically: all of it or none of it (`nft -f -`). */
export const nft = (script: string, object: string): string => onNetwork(object, () => nftRun(script));

/** `nft -j -a COMMAND`: the answer as JSON, with handles. */
export const nftJson = (command: string): string => nftRun(command, true);

/**
 * Does an interface of this name exist in the host's namespace? sysfs lists the interfaces
 * of the network namespace that mounted it (the host's, for carton), without a message.
 */
export function linkExists(name: string): boolean {
  return existsSync(`/sys/class/net/${name}`);
}
