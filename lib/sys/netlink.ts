// rtnetlink: what `ip` does under the hood (man 7 netlink, man 7 rtnetlink). `ip link add`,
// `ip addr add` and `ip route add` each send one message on an AF_NETLINK socket and read
// the kernel's answer; carton sends the same messages itself, so starting a container's
// network starts no process. Each function below says which `ip` command it is, and an error
// names that command, so what failed can be tried by hand.
import { closeSync, openSync } from 'node:fs';
import { CLONE_NEWNET } from './constants.js';
import { CartonError, SyscallError, check, q } from './errors.js';
import { errnoName } from './errno.js';
import { errno, raw } from './libc.js';
import { setns } from './index.js';

const AF_NETLINK = 16;
const AF_INET = 2;
const SOCK_RAW = 3;
const SOCK_CLOEXEC = 0o2000000;
const NETLINK_ROUTE = 0;
const SOL_NETLINK = 270;
const NETLINK_CAP_ACK = 10;
const NETLINK_EXT_ACK = 11;

// Message types and flags (linux/netlink.h, linux/rtnetlink.h).
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const RTM_NEWLINK = 16;
const RTM_DELLINK = 17;
const RTM_GETLINK = 18;
const RTM_NEWADDR = 20;
const RTM_NEWROUTE = 24;
const RTM_GETROUTE = 26;
const NLM_F_REQUEST = 0x1;
const NLM_F_ACK = 0x4;
const NLM_F_DUMP = 0x300;
const NLM_F_REPLACE = 0x100;
const NLM_F_EXCL = 0x200;
const NLM_F_CREATE = 0x400;
const NLM_F_ACK_TLVS = 0x200; // in an error's flags: extended-ack attributes follow
const NLMSGERR_ATTR_MSG = 1;

// Attributes.
const IFLA_ADDRESS = 1;
const IFLA_IFNAME = 3;
const IFLA_MASTER = 10;
const IFLA_LINKINFO = 18;
const IFLA_NET_NS_PID = 19;
const IFLA_INFO_KIND = 1;
const IFLA_INFO_DATA = 2;
const VETH_INFO_PEER = 1;
const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;
const RTA_DST = 1;
const RTA_OIF = 4;
const RTA_GATEWAY = 5;
const RTA_TABLE = 15;
const RT_TABLE_MAIN = 254;
const RTPROT_BOOT = 3;
const RTN_UNICAST = 1;
const IFF_UP = 0x1;

/** A request the kernel refused: the `ip` command it stands for, the errno, the kernel's words. */
export class NetlinkError extends SyscallError {
  readonly command: string;
  readonly said: string;
  constructor(command: string, errno: number, said: string) {
    super(`ip ${command}`, errno, '');
    if (said) this.message += `: ${said}`;
    this.command = `ip ${command}`;
    this.said = said;
  }
}

// #region message
// A netlink message: a 16-byte header (length, type, flags, sequence number, port id), a
// fixed struct of the request's family (ifinfomsg for links, ifaddrmsg for addresses, rtmsg
// for routes), then attributes: type-length-value records padded to 4 bytes, which nest.
const align = (n: number): number => (n + 3) & ~3;

function attr(type: number, payload: Buffer): Buffer {
  const out = Buffer.alloc(align(4 + payload.length));
  out.writeUInt16LE(4 + payload.length, 0);
  out.writeUInt16LE(type, 2);
  payload.copy(out, 4);
  return out;
}
const str = (type: number, value: string): Buffer => attr(type, Buffer.from(value + '\0'));
const u32 = (type: number, value: number): Buffer => attr(type, uint32(value));
const nest = (type: number, ...children: Buffer[]): Buffer => attr(type, Buffer.concat(children));
const ipv4 = (type: number, address: string): Buffer => attr(type, Buffer.from(address.split('.').map(Number)));
const mac = (type: number, address: string): Buffer => attr(type, Buffer.from(address.split(':').map((b) => parseInt(b, 16))));

function uint32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return b;
}

/** struct ifinfomsg { u8 family, pad; u16 type; s32 index; u32 flags, change; } */
function ifinfomsg(index = 0, up?: boolean): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32LE(index, 4);
  if (up !== undefined) {
    b.writeUInt32LE(up ? IFF_UP : 0, 8);
    b.writeUInt32LE(IFF_UP, 12); // which flags to change: only IFF_UP
  }
  return b;
}

/** struct ifaddrmsg { u8 family, prefixlen, flags, scope; u32 index; } */
function ifaddrmsg(prefix: number, index: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt8(AF_INET, 0);
  b.writeUInt8(prefix, 1);
  b.writeUInt32LE(index, 4);
  return b;
}

/** struct rtmsg { u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags; } */
function rtmsg(dstLength = 0): Buffer {
  return Buffer.from([AF_INET, dstLength, 0, 0, RT_TABLE_MAIN, RTPROT_BOOT, 0, RTN_UNICAST, 0, 0, 0, 0]);
}
// #endregion message

/** The attributes of a message's payload after its fixed struct, by type (the first of each). */
function attributes(payload: Buffer, offset: number): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  while (offset + 4 <= payload.length) {
    const length = payload.readUInt16LE(offset);
    if (length < 4) break;
    const type = payload.readUInt16LE(offset + 2) & 0x3fff; // without NLA_F_NESTED and NLA_F_NET_BYTEORDER
    if (!out.has(type)) out.set(type, payload.subarray(offset + 4, offset + length));
    offset += align(length);
  }
  return out;
}
const cString = (b: Buffer): string => b.subarray(0, b.indexOf(0) < 0 ? b.length : b.indexOf(0)).toString();

interface Reply {
  type: number;
  payload: Buffer;
}

/**
 * A netlink socket to the kernel's routing subsystem (NETLINK_ROUTE). A socket belongs to
 * the network namespace of the thread that created it, for as long as it lives: that is how
 * carton configures the inside of a container without entering it with a process.
 */
export class Rtnetlink {
  private seq = 0;
  private readonly buffer = Buffer.alloc(64 * 1024);

  private constructor(private fd: number) {}

  /** A socket in the calling thread's network namespace. */
  static open(): Rtnetlink {
    const fd = check(raw.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), 'socket', () => 'AF_NETLINK, NETLINK_ROUTE');
    // Errors carry the kernel's explanation ("Unknown device type"), and not our request back.
    // (An older kernel without them still works: the result is not checked.)
    for (const option of [NETLINK_EXT_ACK, NETLINK_CAP_ACK]) raw.setsockopt(fd, SOL_NETLINK, option, uint32(1), 4);
    return new Rtnetlink(fd);
  }

  // #region namespace
  /**
   * A socket in the network namespace of process `pid`. setns(2) moves only the calling
   * thread, and a network namespace may be entered by one thread of a multithreaded process
   * (unlike a mount or user namespace): the main thread enters, makes the socket, and
   * returns to its own namespace at once. No process is started and nothing else runs there.
   */
  static inNamespaceOf(pid: number): Rtnetlink {
    const own = openSync('/proc/thread-self/ns/net', 'r');
    try {
      const theirs = openSync(`/proc/${pid}/ns/net`, 'r');
      try {
        setns(theirs, CLONE_NEWNET);
      } finally {
        closeSync(theirs);
      }
      try {
        return Rtnetlink.open();
      } finally {
        setns(own, CLONE_NEWNET);
      }
    } finally {
      closeSync(own);
    }
  }
  // #endregion namespace

  close(): void {
    if (this.fd >= 0) raw.close(this.fd);
    this.fd = -1;
  }

  /** Send one request and read up to its acknowledgement (or, for a dump, to NLMSG_DONE). */
  request(command: string, type: number, flags: number, body: Buffer[]): Reply[] {
    const seq = ++this.seq;
    const payload = Buffer.concat(body);
    const header = Buffer.alloc(16);
    header.writeUInt32LE(16 + payload.length, 0);
    header.writeUInt16LE(type, 4);
    header.writeUInt16LE(NLM_F_REQUEST | flags | ((flags & NLM_F_DUMP) === NLM_F_DUMP ? 0 : NLM_F_ACK), 6);
    header.writeUInt32LE(seq, 8);
    const message = Buffer.concat([header, payload]);
    check(raw.send(this.fd, message, message.length, 0), 'send', () => `netlink (ip ${command})`);
    const replies: Reply[] = [];
    for (;;) {
      const n = Number(raw.recv(this.fd, this.buffer, this.buffer.length, 0));
      if (n < 0) {
        const e = errno();
        if (errnoName(e) === 'EINTR') continue;
        throw new SyscallError('recv', e, `netlink (ip ${command})`);
      }
      for (let at = 0; at + 16 <= n;) {
        const length = this.buffer.readUInt32LE(at);
        const kind = this.buffer.readUInt16LE(at + 4);
        const replyFlags = this.buffer.readUInt16LE(at + 6);
        if (length < 16) break;
        if (this.buffer.readUInt32LE(at + 8) === seq) {
          const body = Buffer.from(this.buffer.subarray(at + 16, at + length));
          if (kind === NLMSG_DONE) return replies;
          if (kind === NLMSG_ERROR) {
            const error = -body.readInt32LE(0);
            if (error === 0) return replies;
            // struct nlmsgerr: the error, our request's header (CAP_ACK: only that), then TLVs.
            const said = replyFlags & NLM_F_ACK_TLVS ? attributes(body, 4 + 16).get(NLMSGERR_ATTR_MSG) : undefined;
            throw new NetlinkError(command, error, said ? cString(said) : '');
          }
          replies.push({ type: kind, payload: body });
        }
        at += align(length);
      }
    }
  }

  /** The index of interface `name` in this socket's namespace (`ip link show NAME`). */
  indexOf(name: string): number {
    const [reply] = this.request(`link show ${name}`, RTM_GETLINK, 0, [ifinfomsg(), str(IFLA_IFNAME, name)]);
    if (!reply) throw new CartonError(`ip link show ${name}: the kernel sent no answer`);
    return reply.payload.readInt32LE(4);
  }

  /** `ip link add name NAME type KIND` (a bridge, for carton). */
  addLink(name: string, kind: string): void {
    this.request(`link add name ${name} type ${kind}`, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, [ifinfomsg(), str(IFLA_IFNAME, name), nest(IFLA_LINKINFO, str(IFLA_INFO_KIND, kind))]);
  }

  // #region veth
  /**
   * `ip link add HOST up master BRIDGE type veth peer name PEER address MAC netns PID`: one
   * message makes the pair, plugs its host end into the bridge and brings it up, and creates
   * the other end directly inside the namespace of `pid`, under its final name and MAC.
   */
  addVeth(host: string, bridge: string, peer: { name: string; address: string; pid: number }): void {
    const master = this.indexOf(bridge);
    const peerInfo = Buffer.concat([ifinfomsg(), str(IFLA_IFNAME, peer.name), mac(IFLA_ADDRESS, peer.address), u32(IFLA_NET_NS_PID, peer.pid)]);
    this.request(`link add ${host} up master ${bridge} type veth peer name ${peer.name} address ${peer.address} netns ${peer.pid}`, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, [
      ifinfomsg(0, true),
      str(IFLA_IFNAME, host),
      u32(IFLA_MASTER, master),
      nest(IFLA_LINKINFO, str(IFLA_INFO_KIND, 'veth'), nest(IFLA_INFO_DATA, attr(VETH_INFO_PEER, peerInfo))),
    ]);
  }
  // #endregion veth

  /** `ip link set NAME up` */
  setUp(name: string): void {
    this.request(`link set ${name} up`, RTM_NEWLINK, 0, [ifinfomsg(0, true), str(IFLA_IFNAME, name)]);
  }

  /** `ip link del NAME` */
  deleteLink(name: string): void {
    this.request(`link del ${name}`, RTM_DELLINK, 0, [ifinfomsg(), str(IFLA_IFNAME, name)]);
  }

  /** `ip addr add ADDRESS/PREFIX dev NAME` (`replace`: `ip addr replace`, no error if it is there). */
  addAddress(name: string, address: string, prefix: number, replace = false): void {
    const index = this.indexOf(name);
    this.request(`addr ${replace ? 'replace' : 'add'} ${address}/${prefix} dev ${name}`, RTM_NEWADDR, NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL), [
      ifaddrmsg(prefix, index),
      ipv4(IFA_LOCAL, address),
      ipv4(IFA_ADDRESS, address),
    ]);
  }

  /** `ip route add default via GATEWAY` */
  addDefaultRoute(gateway: string): void {
    this.request(`route add default via ${gateway}`, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, [rtmsg(), ipv4(RTA_GATEWAY, gateway)]);
  }

  /** `ip route` (the main table, IPv4): each destination as CIDR or "default", and its device. */
  routes(): Array<{ dst: string; dev?: string }> {
    const names = new Map<number, string>();
    for (const link of this.request('link show', RTM_GETLINK, NLM_F_DUMP, [ifinfomsg()])) {
      const name = attributes(link.payload, 16).get(IFLA_IFNAME);
      if (name) names.set(link.payload.readInt32LE(4), cString(name));
    }
    const out: Array<{ dst: string; dev?: string }> = [];
    for (const route of this.request('route show', RTM_GETROUTE, NLM_F_DUMP, [rtmsg()])) {
      const a = attributes(route.payload, 12);
      const table = a.get(RTA_TABLE)?.readUInt32LE(0) ?? route.payload.readUInt8(4);
      if (table !== RT_TABLE_MAIN || route.payload.readUInt8(0) !== AF_INET) continue;
      const length = route.payload.readUInt8(1);
      const dst = a.get(RTA_DST);
      const oif = a.get(RTA_OIF)?.readInt32LE(0);
      out.push({ dst: length === 0 ? 'default' : `${[...(dst ?? Buffer.alloc(4))].join('.')}/${length}`, dev: oif === undefined ? undefined : names.get(oif) });
    }
    return out;
  }
}

let host: Rtnetlink | undefined;
/** The socket in carton's own (the host's) network namespace, opened once and kept. */
export function hostNetlink(): Rtnetlink {
  return (host ??= Rtnetlink.open());
}

/** Run `fn` with a socket in the network namespace of `pid`, closed after. */
export function inNetnsOf<T>(pid: number, object: string, fn: (nl: Rtnetlink) => T): T {
  let nl: Rtnetlink;
  try {
    nl = Rtnetlink.inNamespaceOf(pid);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new CartonError(`open /proc/${pid}/ns/net (${q(object)}): ENOENT (no such process)`, 'the container\'s process is gone: did it exit already?');
    throw err;
  }
  try {
    return fn(nl);
  } finally {
    nl.close();
  }
}
