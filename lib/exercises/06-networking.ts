// Chapter 06 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const networking: Exercise[] = [
  {
    name: 'veth-names',
    chapter: '06-networking',
    file: '06-networking/names.ts',
    functions: ['vethNames'],
    test: 'test/06-networking/veth-names.test.ts',
    hints: [
      'Interface names are at most 15 bytes (IFNAMSIZ − 1), so the pair\'s names are a short prefix and a short, checked part of the container id.',
      'man 7 netdevice (IFNAMSIZ), man 4 veth; a NetworkError for an id that cannot make a safe name.',
      'const short = id.slice(0, 8); check it with /^[0-9a-zA-Z]{1,8}$/ (else throw new NetworkError(`invalid container id ${id}`, hint)); return { host: `vc${short}`, peer: `vp${short}` }.',
    ],
  },
  {
    name: 'next-free-address',
    chapter: '06-networking',
    file: '06-networking/addr.ts',
    functions: ['nextFreeAddress'],
    test: 'test/06-networking/next-free-address.test.ts',
    hints: [
      'Addresses are 32-bit numbers: skip the network address and the gateway (.1), stop before the broadcast, and take the first number nobody holds.',
      'parseCidr, toNumber and toAddress in the same chapter; a Set of the taken ones; null when the subnet is full.',
      'const { base, prefix } = parseCidr(subnet); const taken = new Set(used.map(toNumber)); the broadcast is base + 2 ** (32 - prefix) - 1; loop n from base + 2 while n < broadcast and return toAddress(n) for the first n not in taken; else null.',
    ],
  },
  {
    name: 'pick-subnet',
    chapter: '06-networking',
    file: '06-networking/addr.ts',
    functions: ['pickSubnet'],
    test: 'test/06-networking/pick-subnet.test.ts',
    hints: [
      'A new network needs a subnet that overlaps no existing one: the preferred one if it is free, else the first free 10.N.0.0/16.',
      'overlaps() in the same chapter; Docker\'s default pools; a NetworkError with a hint when nothing is free.',
      'const clashes = (cidr: string) => taken.some((t) => t !== "default" && overlaps(cidr, t)); if (!clashes(preferred)) return preferred; then for n from 89 to 255 return `10.${n}.0.0/16` for the first that does not clash; after the loop throw new NetworkError("no free subnet ...", "pass a subnet explicitly: --subnet CIDR").',
    ],
  },
  {
    name: 'nat-rules',
    chapter: '06-networking',
    file: '06-networking/nft.ts',
    functions: ['natRules'],
    test: 'test/06-networking/nat-rules.test.ts',
    hints: [
      'Masquerade traffic that leaves the bridge\'s subnet, in a nat chain of the postrouting hook; a table and chains of its own so that carton\'s rules are easy to find and remove.',
      'man 8 nft (tables, chains with type/hook/priority, rules, masquerade, comments); the test shows the exact lines it expects, in order.',
      'Seven lines: add table ip T; add chain ip T post-BR { type nat hook postrouting priority srcnat; policy accept; }; flush chain ip T post-BR; two "add rule ... masquerade comment \\"net:NAME\\"" lines (ip saddr SUBNET oifname != "BR", and ip saddr 127.0.0.0/8 oifname "BR"); the prerouting (priority dstnat) and output (priority -100) nat chains.',
    ],
  },
  {
    name: 'parse-publish',
    chapter: '06-networking',
    file: '06-networking/parse-publish.ts',
    functions: ['parsePublish'],
    test: 'test/06-networking/parse-publish.test.ts',
    hints: [
      '-p is [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTO], where ports can be ranges of the same length.',
      'Docker\'s docs for -p; split on \'/\' then \':\'; check each port is 1–65535; an empty host port means \'any\' (0).',
      'spec.split("/") gives mapping and protocol (default tcp); mapping.split(":") has 1 to 3 parts: [containerPort], [hostPort, containerPort] or [hostIp, hostPort, containerPort]. Turn "80" or "80-81" into a list of ports (1..65535, low<=high); an empty host port means 0s; the two lists must be the same length; zip them.',
    ],
  },
  {
    name: 'attach',
    chapter: '06-networking',
    file: '06-networking/attach.ts',
    functions: ['attach'],
    test: 'test/06-networking/attach.test.ts',
    hints: [
      'Three places, in order: the host (one request makes the pair, puts its host end up in the bridge, and creates the other end inside the container\'s namespace under its final name and MAC), then the container\'s namespace (its loopback, the address, up, the route), and the error path (one end of a pair is enough to delete both).',
      'By hand this is: ip link add HOST up master BRIDGE type veth peer name ethN address MAC netns PID; then inside (nsenter --net=/proc/PID/ns/net): ip link set lo up; ip addr add ADDRESS/PREFIX dev ethN; ip link set ethN up; ip route add default via GATEWAY. Each is one method of the socket (addVeth, setUp, addAddress, addDefaultRoute). man 7 rtnetlink, man 8 ip-link, man 4 veth.',
      'const hostEnd = vethNamesAt(opts.id, index, names).host; onNetwork(hostEnd, () => { if (linkExists(hostEnd)) host().deleteLink(hostEnd); host().addVeth(hostEnd, net.bridge, { name: `eth${index}`, address: macAddressOf(address), pid }); }); then in a try: inside(pid, what, (nl) => { nl.setUp("lo"); nl.addAddress(eth, address, parseCidr(net.subnet).prefix); nl.setUp(eth); if (defaultRoute && !net.internal) nl.addDefaultRoute(net.gateway); }); catch: delete hostEnd if it exists, rethrow.',
    ],
  },
];
