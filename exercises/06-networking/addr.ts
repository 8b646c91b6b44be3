// Chapter 06 — exercises: IPv4 arithmetic for address management.
import { todo } from '../../lib/todo.js';
import { overlaps, parseCidr, toAddress, toNumber } from '../../solutions/06-networking/addr.js';
export { parseCidr, toAddress, toNumber, gatewayOf, contains, overlaps } from '../../solutions/06-networking/addr.js';

/**
 * The lowest address of `subnet` that is not in `used` and is neither the network address,
 * the gateway (network + 1) nor the broadcast address; null when the subnet is full.
 * Tools: parseCidr(subnet) gives { base, prefix } with base as a number; toNumber(address)
 * and toAddress(number) convert between "10.88.0.2" and numbers.
 */
export function nextFreeAddress(subnet: string, used: string[]): string | null {
  // TODO: walk from base + 2 up to (but not including) the broadcast address.
  void [parseCidr, toAddress, toNumber, subnet, used];
  todo('nextFreeAddress', 'exercises/06-networking/addr.ts');
}

/**
 * A subnet for a new network: `preferred` unless it overlaps one of `taken` (routes and
 * subnets in CIDR form, or single addresses; the word "default" is not a subnet, skip it),
 * else the first 10.N.0.0/16 for N from 89 to 255 that overlaps none of them. When all are
 * taken, throw a NetworkError (from solutions/06-networking/run.js) with a hint.
 * Tool: overlaps(a, b) says whether two ranges share an address.
 */
export function pickSubnet(taken: string[], preferred = '10.88.0.0/16'): string {
  // TODO: a `clashes(cidr)` helper with taken.some(...), then preferred, then the loop.
  void [overlaps, taken, preferred];
  todo('pickSubnet', 'exercises/06-networking/addr.ts');
}
