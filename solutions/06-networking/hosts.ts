// Name resolution on user-defined networks: containers find each other by name. Docker runs
// a DNS server inside its daemon (127.0.0.11); carton has no daemon, so it writes each
// container's /etc/hosts from the network's registry (the names kept with each address in
// the Ipam state). The C library reads /etc/hosts before asking DNS, so every program uses it.
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
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

// #region hostsFor
/**
 * The entries of one container's /etc/hosts: its own address with its host name and names;
 * on a user-defined network (`resolveOthers`) also every other container of the network.
 * The default bridge network resolves no names, as in Docker: there, only its own line.
 */
export function hostsFor(allocations: Allocation[], self: string, hostname: string, resolveOthers: boolean): Array<Pick<Allocation, 'address' | 'names'>> {
  const mine = allocations.filter((a) => a.owner === self).map((a) => ({ address: a.address, names: [...new Set([hostname, ...a.names])] }));
  const others = resolveOthers ? allocations.filter((a) => a.owner !== self).map((a) => ({ address: a.address, names: a.names })) : [];
  return [...mine, ...others];
}
// #endregion hostsFor

// #region writeInPlace
/**
 * Replace the contents of a file that is bind-mounted into a running container. A bind
 * mount of a file pins its inode: writing a new file and renaming it over the old one (the
 * usual safe way) would change the host's directory entry but not what the container sees,
 * which stays the old inode. So: open the existing file, truncate it, write. Returns false
 * when the file is gone (its container was removed meanwhile): nothing is created.
 */
export function writeInPlace(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r+'); // no O_CREAT: never bring back a removed container's file
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  try {
    ftruncateSync(fd, 0);
    writeSync(fd, text, 0);
  } finally {
    closeSync(fd);
  }
  return true;
}
// #endregion writeInPlace
