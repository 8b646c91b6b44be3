// Chapter 06 — exercise: IPv4 arithmetic for address management.
import { todo } from '../../lib/todo.js';
import { parseCidr, toAddress, toNumber } from '../../solutions/06-networking/addr.js';
export { parseCidr, toAddress, toNumber, gatewayOf, contains, overlaps, pickSubnet } from '../../solutions/06-networking/addr.js';

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
