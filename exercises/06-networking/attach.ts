// Chapter 06 — exercise: plug a container into a bridge. The design is yours.
import { parseCidr } from '../../solutions/06-networking/addr.js';
import { host, inside, linkExists, onNetwork } from '../../solutions/06-networking/run.js';
import { macAddressOf, vethNamesAt, type AttachOptions } from '../../solutions/06-networking/veth.js';
import { todo } from '../../lib/todo.js';
import { vethNames } from './names.js';

/**
 * Join the container whose network namespace `opts.pid` is in to the bridge `opts.net.bridge`,
 * as interface eth<index> with `opts.address`. When it returns: a veth pair exists whose host
 * end (named by vethNamesAt(opts.id, index, names)) is up and in the bridge, and whose other
 * end is inside the container, called eth<index>, with the address and the subnet's prefix,
 * the MAC macAddressOf(address), and up; the container's loopback is up; and, when
 * `defaultRoute` holds (eth0 by default) and the network is not `internal`, the default route
 * goes through the network's gateway. If anything fails half-way, no veth of it is left on the
 * host, and the error is thrown on.
 *
 * host() is an rtnetlink socket in the host's namespace, and inside(pid, what, fn) calls fn
 * with one in the namespace of pid; their methods are the `ip` commands they stand for
 * (lib/sys/netlink.ts: addVeth, setUp, addAddress, addDefaultRoute, deleteLink).
 * onNetwork(what, fn) turns a refused request into a NetworkError about `what`;
 * linkExists(name) says whether the host has an interface of that name. The lesson ("A veth
 * pair: a virtual cable", "Routing and the default gateway") says what each step is for.
 */
export function attach(opts: AttachOptions, names = vethNames): void {
  // TODO
  void [parseCidr, host, inside, linkExists, onNetwork, macAddressOf, vethNamesAt, names, opts];
  todo('attach', 'exercises/06-networking/attach.ts');
}
