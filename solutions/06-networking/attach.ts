// Chapter 06 — attach: plug a container into a bridge with a veth pair, and give its end an
// address, a MAC and routes inside the container's network namespace.
import { parseCidr } from './addr.js';
import { vethNames } from './names.js';
import { host, inside, linkExists, onNetwork } from './run.js';
import { macAddressOf, vethNamesAt, type AttachOptions } from './veth.js';

// #region attach
export function attach({ net, pid, id, address, index = 0, defaultRoute = index === 0 }: AttachOptions, names = vethNames): void {
  const hostEnd = vethNamesAt(id, index, names).host;
  const eth = `eth${index}`;
  onNetwork(hostEnd, () => {
    if (linkExists(hostEnd)) host().deleteLink(hostEnd); // left by a crashed run
    // One message: the pair, its host end up in the bridge, its other end created inside
    // the container's namespace (the one `pid` is in) as ethN, with the container's MAC.
    host().addVeth(hostEnd, net.bridge, { name: eth, address: macAddressOf(address), pid });
  });
  try {
    // Inside: the loopback (down in a new namespace), then ethN's address (the prefix gives
    // the on-link route to the subnet), up, and the default route through the bridge. A
    // further network adds its interface and on-link route only: one default route.
    inside(pid, `${eth} of ${id.slice(0, 12)}`, (nl) => {
      nl.setUp('lo');
      nl.addAddress(eth, address, parseCidr(net.subnet).prefix);
      nl.setUp(eth);
      if (defaultRoute && !net.internal) nl.addDefaultRoute(net.gateway); // an internal network has no way out
    });
  } catch (err) {
    // Deleting one end of a veth pair deletes both, wherever the other end is.
    if (linkExists(hostEnd)) onNetwork(hostEnd, () => host().deleteLink(hostEnd));
    throw err;
  }
}
// #endregion attach
