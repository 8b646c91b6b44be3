// carton network create|ls|inspect|rm|prune|connect|disconnect: user-defined networks (chapter 06).
import type { Command } from '../command.js';
import { confirm, eachContainer } from '../each.js';
import { requireOperands, UsageError } from '../args.js';
import { table } from '../format.js';
import { labelsOf } from '../env.js';
import { INSPECT_FORMAT, printInspected } from '../template.js';
import { requireRoot } from '../privileges.js';
import { chapter } from '../../impl.js';
import * as engine from '../../runtime/engine.js';
import { bridgeNetwork, connectNetwork, disconnectNetwork, ipamOf, networkUsers, registry } from '../../runtime/networks.js';
import { findContainer, loadContainer } from '../../runtime/state.js';

type Networking = Awaited<ReturnType<typeof chapter.networking>>;

interface Row {
  id: string;
  name: string;
  driver: string;
  subnet?: string;
  gateway?: string;
  bridge?: string;
  created?: string;
  labels?: Record<string, string>;
  internal?: boolean;
  ipRange?: string;
  /** Its record cannot be read: it is listed with this, and network rm removes it. */
  problem?: string;
}

/**
 * Every network: the pre-defined three (bridge, host, none) and the user-defined ones, those
 * whose record is broken included (with their problem), so that none is invisible.
 */
function allNetworks(networking: Networking): Row[] {
  const reg = registry(networking);
  const broken = reg.broken().map((b) => ({ id: b.id, name: b.name, driver: 'bridge', bridge: b.bridge, problem: b.problem }));
  const bridge = broken.some((b) => b.name === 'bridge') ? undefined : bridgeNetwork(networking);
  const own = reg.list().filter((n) => !networking.PREDEFINED.includes(n.name));
  return [
    ...(bridge ? [{ id: networking.predefinedId('bridge'), name: 'bridge', driver: 'bridge', subnet: bridge.subnet, gateway: bridge.gateway, bridge: bridge.bridge }] : broken.filter((b) => b.name === 'bridge')),
    { id: networking.predefinedId('host'), name: 'host', driver: 'host' },
    { id: networking.predefinedId('none'), name: 'none', driver: 'null' },
    ...[...own.map((n) => ({ id: n.id, name: n.name, driver: n.driver, subnet: n.subnet, gateway: n.gateway, bridge: n.bridge, created: n.created, labels: n.labels, internal: n.internal, ipRange: n.ipRange })), ...broken.filter((b) => b.name !== 'bridge')]
      .sort((a, b) => a.name.localeCompare(b.name)),
  ];
}

function find(networking: Networking, ref: string): Row {
  const all = allNetworks(networking);
  const row = all.find((n) => n.name === ref || n.id === ref) ?? (/^[0-9a-f]+$/.test(ref) ? all.filter((n) => n.id.startsWith(ref)) : []).at(0);
  if (!row) throw new UsageError(`network ${ref} not found`, "see 'carton network ls'");
  return row;
}

/** `docker network inspect`'s shape, with the containers attached and their addresses. */
function inspectShape(networking: Networking, n: Row): Record<string, unknown> {
  const prefix = n.subnet?.split('/')[1];
  const containers = n.subnet ? ipamOf(networking).list(n.name) : [];
  return {
    Name: n.name, Id: n.id, Created: n.created ?? '', Scope: 'local', Driver: n.driver, EnableIPv6: false,
    IPAM: { Driver: 'default', Options: {}, Config: n.subnet ? [{ Subnet: n.subnet, Gateway: n.gateway, ...(n.ipRange ? { IPRange: n.ipRange } : {}) }] : [] },
    Internal: !!n.internal, Attachable: false,
    Containers: Object.fromEntries(containers.map((a) => [a.owner, { Name: loadContainer(a.owner)?.name ?? '', IPv4Address: `${a.address}/${prefix}`, IPv6Address: '' }])),
    Options: n.bridge ? { 'com.docker.network.bridge.name': n.bridge } : {},
    Labels: n.labels ?? {},
    ...(n.problem ? { Carton: { Error: n.problem } } : {}),
  };
}

export const networkCreate: Command = {
  name: 'network create', summary: 'Create a network', usage: '[OPTIONS] NETWORK',
  flags: [
    { name: 'driver', short: 'd', kind: 'string', value: 'string', description: 'Driver to manage the network: bridge (the only one)' },
    { name: 'subnet', kind: 'string', value: 'cidr', description: 'Subnet in CIDR format, e.g. 10.100.0.0/24 (default: a free 10.N.0.0/16)' },
    { name: 'gateway', kind: 'string', value: 'address', description: 'Gateway (the bridge\'s address) for the subnet (default: its first address)' },
    { name: 'label', kind: 'list', description: 'Set metadata on a network (KEY=VALUE)' },
    { name: 'ip-range', kind: 'string', value: 'cidr', description: 'Allocate container addresses from a sub-range of the subnet' },
    { name: 'internal', kind: 'bool', description: 'Restrict external access to the network: nothing is forwarded in or out, and containers get no default route' },
  ],
  details: `Containers on a network made here reach each other by name (carton writes
their /etc/hosts); on the default network "bridge" they do not, as in Docker.`,
  async run(flags, operands) {
    requireOperands('network create', operands, 1, 'NETWORK', true);
    if (flags.driver !== undefined && flags.driver !== 'bridge') throw new UsageError(`driver ${flags.driver} is not supported`, 'carton networks use the bridge driver');
    if (flags.gateway !== undefined && flags.subnet === undefined) throw new UsageError('--gateway needs --subnet', 'pass the subnet the gateway belongs to');
    if (flags['ip-range'] !== undefined && flags.subnet === undefined) throw new UsageError('--ip-range needs --subnet', 'pass the subnet the range is part of');
    requireRoot('network create');
    const networking = await chapter.networking();
    bridgeNetwork(networking); // the default network's subnet is chosen first, so that it stays 10.88
    const net = registry(networking).create(operands[0], { subnet: flags.subnet as string | undefined, gateway: flags.gateway as string | undefined, labels: labelsOf(flags.label as string[] | undefined), internal: !!flags.internal, ipRange: flags['ip-range'] as string | undefined });
    (await import('../../runtime/events.js')).emit('network', 'create', net.id, { name: net.name, type: 'bridge' });
    process.stdout.write(net.id + '\n');
    return 0;
  },
};

export const networkLs: Command = {
  name: 'network ls', summary: 'List networks', usage: '[OPTIONS]',
  flags: [
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Only display network IDs' },
    { name: 'no-trunc', kind: 'bool', description: 'Do not truncate the output' },
    { name: 'filter', short: 'f', kind: 'list', description: 'Provide filter values (name, id, driver, label, type=builtin|custom)' },
    { name: 'format', kind: 'string', value: 'string', description: "A Go template ('table {{.Name}}\\t{{.Driver}}'), or 'json'" },
  ],
  async run(flags) {
    const { hasLabel, matchesFilters, parseFilters } = await import('../../runtime/filters.js');
    const filters = parseFilters((flags.filter as string[] | undefined) ?? [], ['name', 'id', 'driver', 'type', 'label']);
    const builtin = ['bridge', 'host', 'none'];
    const rows = allNetworks(await chapter.networking()).filter((n) => matchesFilters(n, filters, {
      name: (x, v) => x.name.includes(v), id: (x, v) => x.id.startsWith(v), driver: (x, v) => x.driver === v, type: (x, v) => (v === 'builtin') === builtin.includes(x.name), label: (x, v) => hasLabel(x.labels, v),
    }));
    const id = (n: Row) => (flags['no-trunc'] ? n.id : n.id.slice(0, 12));
    for (const n of rows.filter((r) => r.problem)) process.stderr.write(`carton: warning: network ${n.name}: ${n.problem}\nhint: carton network rm ${n.name} removes it, with its bridge and addresses\n`);
    const subnet = (n: Row) => (n.problem ? '(broken record)' : (n.subnet ?? ''));
    const format = flags.format as string | undefined;
    if (flags.quiet) process.stdout.write(rows.map((n) => id(n) + '\n').join(''));
    else if (format === 'json') process.stdout.write(rows.map((n) => JSON.stringify({ ID: id(n), Name: n.name, Driver: n.driver, Scope: 'local', Subnet: subnet(n) }) + '\n').join(''));
    else if (format && format !== 'table') {
      const { renderRows } = await import('../template.js');
      process.stdout.write(renderRows(format, rows.map((n) => ({ ID: id(n), Name: n.name, Driver: n.driver, Scope: 'local', Subnet: subnet(n) })), { ID: 'NETWORK ID' }, table));
    } else process.stdout.write(table([['NETWORK ID', 'NAME', 'DRIVER', 'SCOPE', 'SUBNET'], ...rows.map((n) => [id(n), n.name, n.driver, 'local', subnet(n)])]));
    return 0;
  },
};

export const networkInspect: Command = {
  name: 'network inspect', summary: 'Display detailed information on one or more networks', usage: 'NETWORK [NETWORK...]', flags: [INSPECT_FORMAT],
  async run(flags, operands) {
    requireOperands('network inspect', operands, 1, 'NETWORK');
    await engine.recover(); // a crashed container's address is freed before we list the attached ones
    const networking = await chapter.networking();
    printInspected(operands.map((ref) => inspectShape(networking, find(networking, ref))) as never[], flags.format);
    return 0;
  },
};

export const networkRm: Command = {
  name: 'network rm', summary: 'Remove one or more networks', usage: 'NETWORK [NETWORK...]', flags: [],
  details: 'A network is refused while a container that is not exited uses it.',
  async run(_flags, operands) {
    requireOperands('network rm', operands, 1, 'NETWORK');
    requireRoot('network rm');
    await engine.recover();
    const networking = await chapter.networking();
    const { emit } = await import('../../runtime/events.js');
    return eachContainer(operands, (ref) => {
      const net = registry(networking).remove(ref, (n) => networkUsers(n.name));
      emit('network', 'destroy', net.id, { name: net.name, type: 'bridge' });
      return net.name;
    });
  },
};

/** Remove every user-defined network no container uses; returns their names. */
export async function pruneNetworks(): Promise<string[]> {
  await engine.recover();
  const networking = await chapter.networking();
  const removed: string[] = [];
  for (const net of registry(networking).list().filter((n) => !networking.PREDEFINED.includes(n.name) && networkUsers(n.name).length === 0)) {
    registry(networking).remove(net.name, (n) => networkUsers(n.name)); // checked again under the lock
    (await import('../../runtime/events.js')).emit('network', 'destroy', net.id, { name: net.name, type: 'bridge' });
    removed.push(net.name);
  }
  return removed;
}

export const networkPrune: Command = {
  name: 'network prune', summary: 'Remove all unused networks', usage: '[OPTIONS]',
  flags: [{ name: 'force', short: 'f', kind: 'bool', description: 'Do not prompt for confirmation' }],
  async run(flags) {
    requireRoot('network prune');
    if (!flags.force && !(await confirm('WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue?'))) return 0;
    const removed = await pruneNetworks();
    if (removed.length) process.stdout.write(`Deleted Networks:\n${removed.map((n) => n + '\n').join('')}`);
    return 0;
  },
};

export const networkConnect: Command = {
  name: 'network connect', summary: 'Connect a container to a network', usage: '[OPTIONS] NETWORK CONTAINER',
  flags: [{ name: 'alias', kind: 'list', value: 'name', description: 'Add a name the container has on this network' }],
  details: `A running container gets one more interface (eth1, eth2, ...) with an address of
the network; the network it was run on keeps the default route. A stopped container
joins the network at its next start.`,
  async run(flags, operands) {
    requireOperands('network connect', operands, 2, 'NETWORK CONTAINER', true);
    requireRoot('network connect');
    await engine.recover(); // a crashed container is not running, whatever its record says
    const networking = await chapter.networking();
    await connectNetwork(networking, findContainer(operands[1]), operands[0], (flags.alias as string[] | undefined) ?? []);
    return 0;
  },
};

export const networkDisconnect: Command = {
  name: 'network disconnect', summary: 'Disconnect a container from a network', usage: '[OPTIONS] NETWORK CONTAINER',
  flags: [{ name: 'force', short: 'f', kind: 'bool', description: 'Accepted for Docker\'s sake: carton always frees what the container holds there' }],
  details: 'Its interface, address and names on that network go; from its only network, it keeps lo.',
  async run(_flags, operands) {
    requireOperands('network disconnect', operands, 2, 'NETWORK CONTAINER', true);
    requireRoot('network disconnect');
    await engine.recover();
    const networking = await chapter.networking();
    disconnectNetwork(networking, findContainer(operands[1]), operands[0]);
    return 0;
  },
};
