// Plugging a container into the bridge: a veth pair is a virtual cable, two interfaces where
// what goes in one comes out of the other. One end stays on the host, in the bridge; the
// other moves into the container's network namespace, where it is called eth0. A container
// joined to more networks (`carton network connect`) has one pair per network: eth1, eth2,
// ..., their host ends named after vethNames plus the index (vc<id8>1: 11 of 15 characters).
// (`names` lets exercises/ pass the learner's vethNames.)
import { toNumber } from './addr.js';
import { vethNames, type VethNames } from './names.js';
import { deleteRules, type NetworkConfig } from './nft.js';
import { host, linkExists, onNetwork } from './run.js';

export interface AttachOptions {
  net: NetworkConfig;
  /** Any process in the container's network namespace (the container's init). */
  pid: number;
  /** The container id: its first 8 characters name the veth. */
  id: string;
  /** The container's address, from Ipam.allocate. */
  address: string;
  /** Which interface: 0 is eth0 (the network given at run), N is ethN (a connected one). */
  index?: number;
  /** Route everything through this network: only the first one does, as in Docker. */
  defaultRoute?: boolean;
}

/**
 * The container's MAC address, derived from its IPv4 address as Docker does (02:42 and the
 * address's four bytes; 02 marks a locally administered unicast address). The kernel gives a
 * new veth a random one, so a container restarted with its old address would come back with
 * a new MAC, and the others' neighbour (ARP) entries would keep sending to the old one until
 * they go stale: tens of seconds of silence. The same address now always means the same MAC.
 */
export function macAddressOf(address: string): string {
  const n = toNumber(address);
  return ['02', '42', ...[24, 16, 8, 0].map((shift) => ((n >>> shift) & 0xff).toString(16).padStart(2, '0'))].join(':');
}

/** The pair for interface `index`: vethNames' own for eth0, with the index appended after. */
export function vethNamesAt(id: string, index: number, names = vethNames): VethNames {
  const base = names(id);
  return index === 0 ? base : { host: `${base.host}${index}`, peer: `${base.peer}${index}` };
}


export interface DetachOptions {
  net: NetworkConfig;
  id: string;
  published?: boolean;
  /** The interface (0: eth0), as given to attach. */
  index?: number;
}

/**
 * Remove the container's veth (if its namespace has not taken it away) and its port rules;
 * `published: false` says it had none, which saves listing the table.
 */
export function detach({ net, id, published = true, index = 0 }: DetachOptions, names = vethNames): void {
  const hostEnd = vethNamesAt(id, index, names).host;
  if (linkExists(hostEnd)) {
    try {
      onNetwork(hostEnd, () => host().deleteLink(hostEnd));
    } catch (err) {
      if (linkExists(hostEnd)) throw err; // else the kernel removed it as the namespace died
    }
  }
  if (published) deleteRules(net.table, `ctr:${id}`);
}
