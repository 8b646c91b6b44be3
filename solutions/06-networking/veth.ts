// Plugging a container into the bridge: a veth pair is a virtual cable, two interfaces where
// what goes in one comes out of the other. One end stays on the host, in the bridge; the
// other moves into the container's network namespace, where it is called eth0.
// (`names` lets exercises/ pass the learner's vethNames.)
import { parseCidr } from './addr.js';
import { vethNames } from './names.js';
import { deleteRules, type NetworkConfig } from './nft.js';
import { ip, ipBatch, ipBatchIn, linkExists } from './run.js';

export interface AttachOptions {
  net: NetworkConfig;
  /** Any process in the container's network namespace (the container's init). */
  pid: number;
  /** The container id: its first 8 characters name the veth. */
  id: string;
  /** The container's address, from Ipam.allocate. */
  address: string;
}

// #region attach
export function attach({ net, pid, id, address }: AttachOptions, names = vethNames): void {
  const { host, peer } = names(id);
  if (linkExists(host)) ip(['link', 'del', host], host); // left by a crashed run
  ip(['link', 'add', host, 'type', 'veth', 'peer', 'name', peer], host);
  try {
    // `ip link set ... netns PID` moves the interface into the namespace of that process.
    ipBatch([['link', 'set', host, 'master', net.bridge], ['link', 'set', host, 'up'], ['link', 'set', peer, 'netns', String(pid)]], host);
    // Inside: the loopback (down in a new namespace), then eth0, its address (the prefix
    // gives the on-link route to the subnet) and the default route through the bridge.
    ipBatchIn(pid, [
      ['link', 'set', 'lo', 'up'],
      ['link', 'set', peer, 'name', 'eth0'],
      ['addr', 'add', `${address}/${parseCidr(net.subnet).prefix}`, 'dev', 'eth0'],
      ['link', 'set', 'eth0', 'up'],
      ['route', 'add', 'default', 'via', net.gateway],
    ], `eth0 of ${id.slice(0, 12)}`);
  } catch (err) {
    // Deleting one end of a veth pair deletes both, wherever the other end is.
    if (linkExists(host)) ip(['link', 'del', host], host);
    throw err;
  }
}
// #endregion attach

/**
 * Remove the container's veth (if its namespace has not taken it away) and its port rules;
 * `published: false` says it had none, which saves listing the table.
 */
export function detach({ net, id, published = true }: { net: NetworkConfig; id: string; published?: boolean }, names = vethNames): void {
  const { host } = names(id);
  if (linkExists(host)) {
    try {
      ip(['link', 'del', host], host);
    } catch (err) {
      if (linkExists(host)) throw err; // else the kernel removed it as the namespace died
    }
  }
  if (published) deleteRules(net.table, `ctr:${id}`);
}
