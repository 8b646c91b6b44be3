// Chapter 06 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const networking: Exercise[] = [
  {
    name: 'veth-names',
    chapter: '06-networking',
    file: '06-networking/names.ts',
    functions: ['vethNames'],
    test: 'test/06-networking/veth-names.test.ts',
    hint: 'const short = id.slice(0, 8); check it with /^[0-9a-zA-Z]{1,8}$/ (else throw new NetworkError(`invalid container id ${id}`, hint)); return { host: `vc${short}`, peer: `vp${short}` }.',
  },
  {
    name: 'next-free-address',
    chapter: '06-networking',
    file: '06-networking/addr.ts',
    functions: ['nextFreeAddress'],
    test: 'test/06-networking/next-free-address.test.ts',
    hint: 'const { base, prefix } = parseCidr(subnet); const taken = new Set(used.map(toNumber)); the broadcast is base + 2 ** (32 - prefix) - 1; loop n from base + 2 while n < broadcast and return toAddress(n) for the first n not in taken; else null.',
  },
  {
    name: 'pick-subnet',
    chapter: '06-networking',
    file: '06-networking/addr.ts',
    functions: ['pickSubnet'],
    test: 'test/06-networking/pick-subnet.test.ts',
    hint: 'const clashes = (cidr: string) => taken.some((t) => t !== "default" && overlaps(cidr, t)); if (!clashes(preferred)) return preferred; then for n from 89 to 255 return `10.${n}.0.0/16` for the first that does not clash; after the loop throw new NetworkError("no free subnet ...", "pass a subnet explicitly: --subnet CIDR").',
  },
  {
    name: 'nat-rules',
    chapter: '06-networking',
    file: '06-networking/nft.ts',
    functions: ['natRules'],
    test: 'test/06-networking/nat-rules.test.ts',
    hint: 'Seven lines: add table ip T; add chain ip T post-BR { type nat hook postrouting priority srcnat; policy accept; }; flush chain ip T post-BR; two "add rule ... masquerade comment \\"net:NAME\\"" lines (ip saddr SUBNET oifname != "BR", and ip saddr 127.0.0.0/8 oifname "BR"); the prerouting (priority dstnat) and output (priority -100) nat chains.',
  },
  {
    name: 'parse-publish',
    chapter: '06-networking',
    file: '06-networking/parse-publish.ts',
    functions: ['parsePublish'],
    test: 'test/06-networking/parse-publish.test.ts',
    hint: 'spec.split("/") gives mapping and protocol (default tcp); mapping.split(":") has 1 to 3 parts: [containerPort], [hostPort, containerPort] or [hostIp, hostPort, containerPort]. Turn "80" or "80-81" into a list of ports (1..65535, low<=high); an empty host port means 0s; the two lists must be the same length; zip them.',
  },
];
