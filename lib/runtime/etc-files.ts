// /etc/hostname, /etc/hosts and /etc/resolv.conf of a container: written per container under
// the volatile state dir and bind-mounted over the image's files, as Docker does, so the image
// is never modified.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Dns {
  servers: string[];
  search: string[];
  options: string[];
}

export function writeEtcFiles(dir: string, hostname: string, extraHosts: string[] = [], dns?: Dns): Record<string, string> {
  const files: Record<string, string> = {
    '/etc/hostname': join(dir, 'hostname'),
    '/etc/hosts': join(dir, 'hosts'),
    '/etc/resolv.conf': join(dir, 'resolv.conf'),
  };
  writeFileSync(files['/etc/hostname'], `${hostname}\n`);
  writeFileSync(files['/etc/hosts'], ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', `127.0.1.1\t${hostname}`, ...extraHosts, ''].join('\n'));
  // A nameserver on the host's loopback (systemd-resolved's 127.0.0.53) is unreachable from
  // the container's own network namespace: leave such lines out.
  const host = existsSync('/etc/resolv.conf') ? readFileSync('/etc/resolv.conf', 'utf8') : '';
  let lines = host.split('\n').filter((l) => !/^\s*nameserver\s+(127\.|::1)/.test(l));
  // --dns, --dns-search, --dns-option replace the host's lines of their kind, as Docker's.
  const replace = (keyword: string, values: string[], line: (v: string[]) => string[]) => {
    if (!values.length) return;
    lines = [...lines.filter((l) => !new RegExp(`^\\s*${keyword}\\b`).test(l)), ...line(values)];
  };
  if (dns) {
    replace('nameserver', dns.servers, (v) => v.map((s) => `nameserver ${s}`));
    replace('search', dns.search, (v) => [`search ${v.join(' ')}`]);
    replace('options', dns.options, (v) => [`options ${v.join(' ')}`]);
  }
  writeFileSync(files['/etc/resolv.conf'], lines.filter((l, i) => l !== '' || i === lines.length - 1).join('\n') + (lines.at(-1) === '' ? '' : '\n'));
  return files;
}
