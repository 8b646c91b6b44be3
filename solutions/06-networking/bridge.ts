// The bridge: a virtual switch in the host's network namespace. Every container's veth
// plugs into it, and the bridge's own address is the containers' default gateway, the way
// out of their private subnet through the host.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gatewayOf, parseCidr, pickSubnet } from './addr.js';
import { deleteRules, isolationRules, listRules, natRules, type NetworkConfig } from './nft.js';
import { host, linkExists, nft, onNetwork } from './run.js';

function sysctl(path: string, value: string): void {
  if (readFileSync(path, 'utf8').trim() !== value) writeFileSync(path, value);
}

// #region ensureBridge
// `rules` is the nft script for the network: exercises/ passes the learner's natRules.
export function ensureBridge(net: NetworkConfig, rules: (net: NetworkConfig) => string = natRules): void {
  onNetwork(net.bridge, () => {
    if (!linkExists(net.bridge)) {
      try {
        host().addLink(net.bridge, 'bridge');
      } catch (err) {
        if (!linkExists(net.bridge)) throw err; // else another carton created it meanwhile
      }
    }
    // "replace" rather than "add": adding an address the bridge already has is an error.
    host().addAddress(net.bridge, net.gateway, parseCidr(net.subnet).prefix, true);
    host().setUp(net.bridge);
  });
  // The host routes packets between the bridge and its other interfaces only when it
  // forwards IPv4 at all; it is off on most machines that are not routers.
  sysctl('/proc/sys/net/ipv4/ip_forward', '1');
  // Packets to 127.0.0.1 that DNAT sends to the bridge would be dropped as "martians":
  // a loopback source or destination is only routable on this interface with route_localnet.
  sysctl(`/proc/sys/net/ipv4/conf/${net.bridge}/route_localnet`, '1');
  nft(rules(net) + isolationRules(net), `table ip ${net.table}`);
}
// #endregion ensureBridge

/** Remove the bridge and its NAT rules; the table goes when nothing else uses it. */
export function removeBridge(net: NetworkConfig): void {
  if (linkExists(net.bridge)) onNetwork(net.bridge, () => host().deleteLink(net.bridge));
  deleteRules(net.table, `net:${net.name}`);
  for (const command of [`delete chain ip ${net.table} post-${net.bridge}`, `delete chain ip ${net.table} iso-${net.bridge}`, `delete element ip ${net.table} bridges { "${net.bridge}" }`]) {
    try {
      nft(command, net.table);
    } catch {
      // already gone
    }
  }
  if (existsSync('/proc/sys/net') && listRules(net.table).length === 0) {
    try {
      nft(`delete table ip ${net.table}`, net.table);
    } catch {
      // no table
    }
  }
}

/** The destinations the host already routes ("default" left out): a new subnet must avoid them. */
export function hostRoutes(except?: string): string[] {
  return onNetwork('routes', () => host().routes()).filter((r) => r.dev !== except && r.dst !== 'default').map((r) => r.dst);
}

/**
 * Docker's default network, "bridge", here on carton0 with 10.88.0.0/16 unless the host
 * already routes that range (a LAN, a VPN) or another carton network has it (`taken`), in
 * which case the next free 10.N.0.0/16. (`pick` lets exercises/ pass the learner's pickSubnet.)
 */
export function defaultNetwork(name = 'bridge', bridge = 'carton0', table = 'carton', taken: string[] = [], pick = pickSubnet): NetworkConfig {
  const subnet = pick([...hostRoutes(bridge), ...taken]);
  return { name, bridge, subnet, gateway: gatewayOf(subnet), table };
}
