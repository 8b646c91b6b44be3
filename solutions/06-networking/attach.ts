// Chapter 06 — attach: plug a container into a bridge with a veth pair, and give its end an
// address, a MAC and routes inside the container's network namespace.
import { parseCidr } from './addr.js';
import { vethNames } from './names.js';
import { ip, ipBatch, ipBatchIn, linkExists } from './run.js';
import { macAddressOf, vethNamesAt, type AttachOptions } from './veth.js';

// #region attach
export function attach({ net, pid, id, address, index = 0, defaultRoute = index === 0 }: AttachOptions, names = vethNames): void {
  const { host, peer } = vethNamesAt(id, index, names);
  const eth = `eth${index}`;
  if (linkExists(host)) ip(['link', 'del', host], host); // left by a crashed run
  ip(['link', 'add', host, 'type', 'veth', 'peer', 'name', peer], host);
  try {
    // `ip link set ... netns PID` moves the interface into the namespace of that process.
    ipBatch([['link', 'set', host, 'master', net.bridge], ['link', 'set', host, 'up'], ['link', 'set', peer, 'netns', String(pid)]], host);
    // Inside: the loopback (down in a new namespace), then eth0, its address (the prefix
    // gives the on-link route to the subnet) and the default route through the bridge.
    // A further network adds its interface and on-link route only: one default route.
    ipBatchIn(pid, [
      ['link', 'set', 'lo', 'up'],
      ['link', 'set', peer, 'name', eth],
      ['link', 'set', eth, 'address', macAddressOf(address)],
      ['addr', 'add', `${address}/${parseCidr(net.subnet).prefix}`, 'dev', eth],
      ['link', 'set', eth, 'up'],
      ...(defaultRoute && !net.internal ? [['route', 'add', 'default', 'via', net.gateway]] : []), // an internal network has no way out
    ], `${eth} of ${id.slice(0, 12)}`);
  } catch (err) {
    // Deleting one end of a veth pair deletes both, wherever the other end is.
    if (linkExists(host)) ip(['link', 'del', host], host);
    throw err;
  }
}
// #endregion attach
