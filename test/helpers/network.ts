// What the network tests read back through the real CLI and from carton's state: a
// network's inspect JSON, a container's /etc/hosts and the names in it, a network's address
// allocations.
import { allocations, carton } from './index.js';

export const inspectNet = async (name: string) => JSON.parse((await carton(['network', 'inspect', name])).stdout)[0];

export const hostsOf = async (container: string): Promise<string> => (await carton(['exec', container, 'cat', '/etc/hosts'])).stdout;

/** Every name /etc/hosts text gives to an IPv4 address. */
export const names = (hosts: string): string[] => hosts.split('\n').filter((l) => /^\d+\./.test(l)).flatMap((l) => l.split(/\s+/).slice(1));

/** A network's address allocations in this run's state database; [] when it has none. */
export const ipamOf = (net: string): Array<{ owner: string; address: string }> => allocations().filter((a) => a.network === net);

/**
 * Fetch `url` from inside a running container, given up after 2 s. Not `wget -T`: Debian's
 * busybox wget segfaults whenever -T is given, so a failure would prove nothing.
 */
export const fetchIn = (container: string, url: string) => carton(['exec', container, 'timeout', '2', 'wget', '-qO-', url]);

/**
 * What a fetch that got no answer ends with: wget's own failure (1: no such name, refused,
 * unreachable) or timeout's SIGTERM (143), never a crash (139) or success.
 */
export const NO_ANSWER = [1, 143];
