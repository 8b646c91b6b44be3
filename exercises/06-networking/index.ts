// Chapter 06 — bridge networking, the learner's version: the six exercises, and the rest
// of the chapter from solutions/, wired so that it calls the learner's functions.
import * as base from '../../solutions/06-networking/index.js';
import type { AttachOptions, ConnectOptions, Connection, DetachOptions, NetworkConfig } from '../../solutions/06-networking/index.js';
import { nextFreeAddress, pickSubnet } from './addr.js';
import { vethNames } from './names.js';
import { natRules } from './nft.js';
import { attach as attachWith } from './attach.js';

export { nextFreeAddress, parseCidr, gatewayOf, contains, overlaps, pickSubnet, toAddress, toNumber } from './addr.js';
export { parsePublish, type PortMapping } from './parse-publish.js';
export { vethNames, type VethNames } from './names.js';
export { natRules, publishRules, listRules, deleteRules, publishedPorts, type NetworkConfig } from './nft.js';
export { removeBridge, hostRoutes, macAddressOf, publish, hostPortFor, parseExpose, publishAllPorts, hostsFile, hostsFor, writeInPlace, PREDEFINED, predefinedId, checkAddress, NetworkError } from '../../solutions/06-networking/index.js';
export type { Allocation, OnAllocate, AttachOptions, DetachOptions, PublishOptions, ConnectOptions, Connection, NetworkRecord, BrokenNetwork, CreateOptions } from '../../solutions/06-networking/index.js';

export const ensureBridge = (net: NetworkConfig): void => base.ensureBridge(net, natRules);
export const defaultNetwork = (name?: string, bridge?: string, table?: string, taken: string[] = []): NetworkConfig =>
  base.defaultNetwork(name, bridge, table, taken, pickSubnet);
export const attach = (opts: AttachOptions): void => attachWith(opts, vethNames);
export const detach = (opts: DetachOptions): void => base.detach(opts, vethNames);
export const vethNamesAt = (id: string, index: number) => base.vethNamesAt(id, index, vethNames);

export class Ipam extends base.Ipam {
  constructor(root: string, onAllocate?: base.OnAllocate) {
    super(root, onAllocate, nextFreeAddress);
  }
}

export class Networks extends base.Networks {
  constructor(root: string, table: string) {
    super(root, table, pickSubnet, ensureBridge);
  }
}

const steps = { ensureBridge, attach, detach };
export const connect = (opts: ConnectOptions): Promise<Connection> => base.connect(opts, steps);
export const disconnect = (opts: DetachOptions & { ipam: base.Ipam }): void => base.disconnect(opts, steps);
