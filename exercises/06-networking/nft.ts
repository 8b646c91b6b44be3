// Chapter 06 — exercise: the nftables script that gives a network NAT.
import { todo } from '../../lib/todo.js';
export { publishRules, listRules, deleteRules, publishedPorts, type NetworkConfig } from '../../solutions/06-networking/nft.js';
import type { NetworkConfig } from '../../solutions/06-networking/nft.js';

/**
 * One nft command per line, safe to run again: the table `ip <net.table>`; a nat
 * postrouting chain `post-<bridge>` (priority srcnat), flushed, with two masquerade rules
 * commented "net:<net.name>" — the subnet leaving through any interface but the bridge, and
 * 127.0.0.0/8 leaving through the bridge; and the nat chains `prerouting` (priority dstnat)
 * and `output` (priority -100) that publish() adds its rules to. Write chains as nft(8)
 * lists them, each with its policy: `add chain ip T post-BR { type nat hook postrouting
 * priority srcnat; policy accept; }`, and rules as `add rule ip T CHAIN <match> masquerade
 * comment "net:NAME"`; nft -c must accept the whole script.
 */
export function natRules(net: NetworkConfig): string {
  // TODO: build the lines of the script (the lesson shows them) and join them with "\n".
  void net;
  todo('natRules', 'exercises/06-networking/nft.ts');
}
