// Chapter 06 — exercise: plug a container into a bridge. The design is yours.
import { parseCidr } from '../../solutions/06-networking/addr.js';
import { ip, ipBatch, ipBatchIn, linkExists } from '../../solutions/06-networking/run.js';
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
 * ip(args, what), ipBatch(lines, what) and ipBatchIn(pid, lines, what) run `ip` on the host,
 * or in the namespace of pid (each line is the arguments of one `ip` command); linkExists(name)
 * says whether the host has an interface of that name. The lesson ("A veth pair: a virtual
 * cable", "A bridge: the host's switch") says what each step is for.
 */
export function attach(opts: AttachOptions, names = vethNames): void {
  // TODO
  void [parseCidr, ip, ipBatch, ipBatchIn, linkExists, macAddressOf, vethNamesAt, names, opts];
  todo('attach', 'exercises/06-networking/attach.ts');
}
