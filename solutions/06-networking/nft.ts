// carton's nftables rules, all in one table of its own (`carton` by default) so that they
// never mix with the host's firewall and can be listed with `nft list table ip carton`.
//  - per network, a postrouting chain "post-<bridge>" that masquerades: packets from the
//    containers' private subnet leave with the host's address (NAT out), and packets that
//    the host sends from 127.0.0.1 into the bridge (a published port reached on localhost)
//    leave with the bridge's address, so that the container can answer them;
//  - shared prerouting and output chains where each published port is a DNAT rule whose
//    comment is "ctr:<container id>", so that detach deletes exactly that container's rules.
import type { PortMapping } from './parse-publish.js';
import { nft, nftJson } from './run.js';

export interface NetworkConfig {
  /** The network's name, e.g. "bridge" (Docker's default) or a user-defined one. */
  name: string;
  /** The Linux bridge interface, e.g. "carton0" (at most 15 characters). */
  bridge: string;
  /** The containers' subnet in CIDR form, e.g. 10.88.0.0/16. */
  subnet: string;
  /** The bridge's own address: the containers' default gateway. */
  gateway: string;
  /** The nftables table (family ip) that holds carton's rules. */
  table: string;
  /** --internal: nothing is forwarded between its bridge and any other interface. */
  internal?: boolean;
  /** --ip-range: the part of the subnet that addresses are given from (run --ip may take any). */
  ipRange?: string;
}

// #region natRules
/** The nft script that sets up NAT for one network; running it twice changes nothing. */
export function natRules(net: NetworkConfig): string {
  const chain = `post-${net.bridge}`;
  return [
    `add table ip ${net.table}`,
    `add chain ip ${net.table} ${chain} { type nat hook postrouting priority srcnat; policy accept; }`,
    `flush chain ip ${net.table} ${chain}`,
    `add rule ip ${net.table} ${chain} ip saddr ${net.subnet} oifname != "${net.bridge}" masquerade comment "net:${net.name}"`,
    `add rule ip ${net.table} ${chain} ip saddr 127.0.0.0/8 oifname "${net.bridge}" masquerade comment "net:${net.name}"`,
    `add chain ip ${net.table} prerouting { type nat hook prerouting priority dstnat; policy accept; }`,
    `add chain ip ${net.table} output { type nat hook output priority -100; policy accept; }`,
    '',
  ].join('\n');
}
// #endregion natRules

/**
 * Networks are isolated from each other, as Docker's DOCKER-ISOLATION chains do it: the set
 * `bridges` holds every carton bridge, and each network's forward chain "iso-<bridge>" drops
 * what its containers send into another carton bridge. Both directions are covered, since
 * each network has its rule, and a network created later joins the set the older rules
 * read. A connection to a published port (DNAT'd by the host) is let through: Docker's
 * containers reach another network's published ports too. Traffic inside one bridge is
 * switched, not routed, and never passes here.
 */
// #region isolationRules
export function isolationRules(net: NetworkConfig): string {
  const chain = `iso-${net.bridge}`;
  return [
    `add set ip ${net.table} bridges { type ifname; }`,
    `add element ip ${net.table} bridges { "${net.bridge}" }`,
    `add chain ip ${net.table} ${chain} { type filter hook forward priority filter; policy accept; }`,
    `flush chain ip ${net.table} ${chain}`,
    `add rule ip ${net.table} ${chain} iifname "${net.bridge}" oifname != "${net.bridge}" oifname @bridges ct status & dnat == 0 drop comment "net:${net.name}"`,
    // An internal network (Docker's --internal) reaches nothing but itself, in either direction.
    ...(net.internal ? [
      `add rule ip ${net.table} ${chain} iifname "${net.bridge}" oifname != "${net.bridge}" drop comment "net:${net.name}"`,
      `add rule ip ${net.table} ${chain} oifname "${net.bridge}" iifname != "${net.bridge}" drop comment "net:${net.name}"`,
    ] : []),
    '',
  ].join('\n');
}
// #endregion isolationRules

// #region publishRules
/**
 * DNAT rules for published ports. Without a host address the port is published on every
 * local address ("fib daddr type local"), like Docker's default 0.0.0.0. The prerouting
 * rule catches packets from other machines and namespaces, the output rule packets that
 * the host sends itself (curl 127.0.0.1:8080 never passes through prerouting).
 */
export function publishRules(table: string, id: string, address: string, ports: PortMapping[]): string {
  const lines: string[] = [];
  for (const p of ports) {
    const match = p.hostIp ? `ip daddr ${p.hostIp}` : 'fib daddr type local';
    for (const chain of ['prerouting', 'output']) {
      lines.push(`add rule ip ${table} ${chain} ${match} ${p.protocol} dport ${p.hostPort} dnat to ${address}:${p.containerPort} comment "ctr:${id}"`);
    }
  }
  return lines.join('\n') + '\n';
}
// #endregion publishRules

interface NftRule {
  rule?: { chain: string; handle: number; comment?: string; expr?: unknown[] };
}

/** The rules of carton's table, or [] when the table does not exist. */
export function listRules(table: string): Array<{ chain: string; handle: number; comment?: string; text: string }> {
  let out: string;
  try {
    out = nftJson(`list table ip ${table}`);
  } catch {
    return [];
  }
  const items = (JSON.parse(out) as { nftables: NftRule[] }).nftables;
  return items.flatMap((i) => (i.rule ? [{ chain: i.rule.chain, handle: i.rule.handle, comment: i.rule.comment, text: JSON.stringify(i.rule.expr) }] : []));
}

/** Delete the rules whose comment is `comment`; no-op when there are none. */
export function deleteRules(table: string, comment: string): void {
  const script = listRules(table)
    .filter((r) => r.comment === comment)
    .map((r) => `delete rule ip ${table} ${r.chain} handle ${r.handle}`)
    .join('\n');
  if (script) nft(script + '\n', `table ${table}`);
}

/** "tcp/8080"-style keys of the host ports some container already publishes. */
export function publishedPorts(table: string): Set<string> {
  const keys = new Set<string>();
  for (const r of listRules(table).filter((r) => r.chain === 'output' && r.comment?.startsWith('ctr:'))) {
    const m = /"protocol":"(tcp|udp)","field":"dport"}},"right":(\d+)/.exec(r.text);
    if (m) keys.add(`${m[1]}/${m[2]}`);
  }
  return keys;
}
