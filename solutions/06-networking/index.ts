// Chapter 06 — bridge networking: the public surface the runtime and the tests use.
export { nextFreeAddress, parseCidr, gatewayOf, contains, overlaps, pickSubnet, toAddress, toNumber } from './addr.js';
export { Ipam, type Allocation, type OnAllocate } from './ipam.js';
export { parsePublish, type PortMapping } from './parse-publish.js';
export { vethNames, type VethNames } from './names.js';
export { natRules, publishRules, listRules, deleteRules, publishedPorts, type NetworkConfig } from './nft.js';
export { ensureBridge, removeBridge, defaultNetwork, hostRoutes } from './bridge.js';
export { detach, macAddressOf, vethNamesAt, type AttachOptions, type DetachOptions } from './veth.js';
export { attach } from './attach.js';
export { publish, hostPortFor, type PublishOptions } from './publish.js';
export { parseExpose, publishAllPorts } from './expose.js';
export { hostsFile, hostsFor, writeInPlace } from './hosts.js';
export { Networks, PREDEFINED, predefinedId, checkAddress, type NetworkRecord, type BrokenNetwork, type CreateOptions } from './networks.js';
export { NetworkError } from './run.js';
export { connect, disconnect, type ConnectOptions, type Connection } from './container.js';
