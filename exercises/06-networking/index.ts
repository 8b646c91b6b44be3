// Chapter 06 — bridge networking, the learner's version: the four exercises, and the rest
// of the chapter from solutions/, wired so that it calls the learner's functions.
import * as base from '../../solutions/06-networking/index.js';
import type { AttachOptions, ConnectOptions, Connection, NetworkConfig } from '../../solutions/06-networking/index.js';
import { nextFreeAddress } from './addr.js';
import { vethNames } from './names.js';
import { natRules } from './nft.js';

export { nextFreeAddress, parseCidr, gatewayOf, contains, overlaps, pickSubnet, toAddress, toNumber } from './addr.js';
export { parsePublish, type PortMapping } from './parse-publish.js';
export { vethNames, type VethNames } from './names.js';
export { natRules, publishRules, listRules, deleteRules, publishedPorts, type NetworkConfig } from './nft.js';
export { removeBridge, defaultNetwork, publish, hostsFile, NetworkError } from '../../solutions/06-networking/index.js';
export type { Allocation, AttachOptions, PublishOptions, ConnectOptions, Connection } from '../../solutions/06-networking/index.js';

export const ensureBridge = (net: NetworkConfig): void => base.ensureBridge(net, natRules);
export const attach = (opts: AttachOptions): void => base.attach(opts, vethNames);
export const detach = (opts: { net: NetworkConfig; id: string }): void => base.detach(opts, vethNames);

export class Ipam extends base.Ipam {
  constructor(stateDir: string) {
    super(stateDir, nextFreeAddress);
  }
}

const steps = { ensureBridge, attach, detach };
export const connect = (opts: ConnectOptions): Promise<Connection> => base.connect(opts, steps);
export const disconnect = (opts: { net: NetworkConfig; ipam: base.Ipam; id: string }): void => base.disconnect(opts, steps);
