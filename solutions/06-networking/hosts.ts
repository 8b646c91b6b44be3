// Name resolution on user-defined networks: containers find each other by name. Docker runs
// a DNS server inside its daemon (127.0.0.11); carton has no daemon, so it writes each
// container's /etc/hosts from the network's registry (the names kept with each address in
// the Ipam state). The C library reads /etc/hosts before asking DNS, so every program uses it.
import type { Allocation } from './ipam.js';

// #region hostsFile
export function hostsFile(entries: Array<Pick<Allocation, 'address' | 'names'>>): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
  for (const e of entries) {
    if (e.names.length) lines.push(`${e.address}\t${e.names.join(' ')}`);
  }
  return lines.join('\n') + '\n';
}
// #endregion hostsFile
