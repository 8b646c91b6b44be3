// The whole chapter in the order `carton run` needs it: the network exists, the container
// gets an address (and its names), its veth, and its published ports; on any failure, what
// was done is undone. disconnect() is the reverse, safe to call twice and after a crash.
import type { Ipam } from './ipam.js';
import type { NetworkConfig } from './nft.js';
import type { PortMapping } from './parse-publish.js';
import { ensureBridge } from './bridge.js';
import { attach } from './attach.js';
import { detach, type DetachOptions } from './veth.js';
import { publish } from './publish.js';

export interface ConnectOptions {
  net: NetworkConfig;
  ipam: Ipam;
  /** The container id (its first 8 characters name the veth). */
  id: string;
  /** Any process in the container's network namespace. */
  pid: number;
  /** Names other containers on the network can use (for /etc/hosts). */
  names?: string[];
  ports?: PortMapping[];
  /** The interface: 0 (eth0) at run; 1, 2, ... for `carton network connect`. */
  index?: number;
  /** Whether this network gets the default route (default: only eth0 does). */
  defaultRoute?: boolean;
  /** The address asked for (run --ip), instead of the next free one. */
  address?: string;
}

export interface Connection {
  address: string;
  /** The published ports, with host port 0 replaced by the port chosen. */
  ports: PortMapping[];
}

/** The chapter's steps; exercises/ passes versions that call the learner's functions. */
export interface Steps {
  ensureBridge: (net: NetworkConfig) => void;
  attach: typeof attach;
  detach: typeof detach;
}

const solutionSteps: Steps = { ensureBridge, attach, detach };

// #region connect
export async function connect(opts: ConnectOptions, steps: Steps = solutionSteps): Promise<Connection> {
  const { net, ipam, id, pid, names = [], ports = [], index = 0, defaultRoute } = opts;
  steps.ensureBridge(net);
  const address = ipam.allocate(net.name, net.subnet, id, names, [net.gateway], opts.address, net.ipRange);
  try {
    steps.attach({ net, pid, id, address, index, defaultRoute });
    return { address, ports: await publish({ net, id, address, ports }) };
  } catch (err) {
    disconnect({ net, ipam, id, index, published: ports.length > 0 }, steps);
    throw err;
  }
}
// #endregion connect

export function disconnect({ net, ipam, id, published, index }: DetachOptions & { ipam: Ipam }, steps: Steps = solutionSteps): void {
  steps.detach({ net, id, published, index });
  ipam.release(net.name, id);
}
