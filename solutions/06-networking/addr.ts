// IPv4 arithmetic for address management: an address is a 32-bit number, a subnet is a base
// address and a prefix length. The first address of a subnet names the network, the last is
// its broadcast address, and carton gives the one after the network to the bridge (the
// containers' gateway); none of those three may go to a container.
import { NetworkError } from './run.js';

export interface Subnet {
  base: number;
  prefix: number;
}

export function toNumber(address: string): number {
  const parts = address.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new NetworkError(`invalid IPv4 address ${address}`, 'write it as four numbers 0-255, e.g. 10.88.0.2');
  }
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function toAddress(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export function parseCidr(cidr: string): Subnet {
  const [address, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (bits === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) {
    throw new NetworkError(`invalid subnet ${cidr}`, 'write it as ADDRESS/PREFIX with a prefix from 8 to 30, e.g. 10.88.0.0/16');
  }
  const size = 2 ** (32 - prefix);
  return { base: toNumber(address) - (toNumber(address) % size), prefix };
}

export const size = (s: Subnet): number => 2 ** (32 - s.prefix);

/** The bridge's address: the first host address of the subnet. */
export const gatewayOf = (cidr: string): string => toAddress(parseCidr(cidr).base + 1);

export function contains(cidr: string, address: string): boolean {
  const s = parseCidr(cidr);
  const n = toNumber(address);
  return n >= s.base && n < s.base + size(s);
}

// Routes can be anything from /0 to /32 (a bare address is a /32), so no prefix checks here.
function range(cidr: string): [number, number] {
  const [address, bits = '32'] = cidr.split('/');
  const span = 2 ** (32 - Number(bits));
  const start = toNumber(address) - (toNumber(address) % span);
  return [start, start + span];
}

export function overlaps(a: string, b: string): boolean {
  const [x0, x1] = range(a);
  const [y0, y1] = range(b);
  return x0 < y1 && y0 < x1;
}

// #region nextFreeAddress
/**
 * The lowest address of `subnet` that is not in `used` and is neither the network address,
 * the gateway (network + 1) nor the broadcast address; null when the subnet is full.
 */
export function nextFreeAddress(subnet: string, used: string[]): string | null {
  const { base, prefix } = parseCidr(subnet);
  const taken = new Set(used.map(toNumber));
  const broadcast = base + 2 ** (32 - prefix) - 1;
  for (let n = base + 2; n < broadcast; n++) {
    if (!taken.has(n)) return toAddress(n);
  }
  return null;
}
// #endregion nextFreeAddress

// #region pickSubnet
/**
 * A subnet for a new network: `preferred` unless it overlaps one of `taken` (the host's
 * routes: its LAN, a VPN, a bridge; and the subnets of the other carton networks), else the
 * first 10.N.0.0/16 from 10.89 upwards that overlaps none of them.
 */
export function pickSubnet(taken: string[], preferred = '10.88.0.0/16'): string {
  const clashes = (cidr: string) => taken.some((t) => t !== 'default' && overlaps(cidr, t));
  if (!clashes(preferred)) return preferred;
  for (let n = 89; n < 256; n++) {
    if (!clashes(`10.${n}.0.0/16`)) return `10.${n}.0.0/16`;
  }
  throw new NetworkError('no free subnet in 10.88.0.0 - 10.255.0.0', 'pass a subnet explicitly: --subnet CIDR');
}
// #endregion pickSubnet
