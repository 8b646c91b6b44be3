// carton system check [--repair]: the state against the host. Everything carton makes on the
// host carries a container's id (cgroups carton/<id>, veths vc<id8>, nft rules "ctr:<id>",
// addresses owned by <id>, run directories <id>): each is matched with a record, and what no
// living record explains is reported (and with --repair, freed). Only what is this state
// root's own is looked at: its networks' bridges, its nft table, its run directory, and the
// cgroups of its own records. Records are checked too: unreadable ones (Dead), running
// ones whose waiter is gone, networks and images whose records cannot be read.
import { existsSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from '../command.js';
import { chapter } from '../../impl.js';
import { cgroupLayout } from '../../../solutions/00-doctor/cgroup-layout.js';
import * as engine from '../../runtime/engine.js';
import { bridgedNetworks, ipamOf, networkUsers, nftTable, registry } from '../../runtime/networks.js';
import { runRoot } from '../../runtime/paths.js';
import { openStore } from '../../runtime/images.js';
import { hostNetlink } from '../../sys/netlink.js';
import { sameProcess } from '../../sys/proc.js';
import { listContainers, type ContainerRecord } from '../../runtime/state.js';

interface Problem {
  what: string;
  repair: () => void | Promise<void>;
}

const live = (c: ContainerRecord) => c.status === 'running' || c.status === 'paused' || c.status === 'restarting';

async function problems(): Promise<Problem[]> {
  const found: Problem[] = [];
  const records = listContainers();
  const byId = new Map(records.map((c) => [c.id, c]));
  for (const c of records) {
    if (c.status === 'dead') found.push({ what: `container ${c.id.slice(0, 12)} is Dead: ${c.error}`, repair: () => engine.remove(c, { force: true }) });
    else if (live(c) && !sameProcess(c.monitorPid, c.monitorStart)) found.push({ what: `container ${c.name} is ${c.status} but its waiter (pid ${c.monitorPid}) is gone`, repair: () => engine.recover() });
  }
  const holder = (id: string) => byId.get(id);
  // Cgroups: carton/<id> in every hierarchy.
  const layout = cgroupLayout();
  for (const mount of [...new Set([...Object.values(layout.v1), ...(layout.v2Mount ? [layout.v2Mount] : [])])]) {
    const parent = join(mount, 'carton');
    if (!existsSync(parent)) continue;
    for (const id of readdirSync(parent).filter((n) => /^[0-9a-f]{64}$/.test(n))) {
      // The cgroup tree is the machine's, shared by every carton state root (another CARTON_ROOT,
      // the tests'): a cgroup of an id this root does not know may be another's, and is left.
      const c = holder(id);
      if (!c || live(c) || c.status === 'dead') continue;
      found.push({
        what: `cgroup ${join(parent, id)} belongs to container ${c.name}, which is ${c.status}`,
        repair: async () => (await chapter.cgroups()).openCgroups().open(id).destroy(),
      });
    }
  }
  // Networks: addresses, veths and published-port rules.
  const networking = await chapter.networking();
  for (const net of registry(networking).broken()) {
    found.push({ what: `network ${net.name}: ${net.problem}`, repair: () => void registry(networking).remove(net.name, (n) => networkUsers(n.name)) });
  }
  const networks = bridgedNetworks(networking);
  for (const { name } of networks) {
    for (const a of ipamOf(networking).list(name)) {
      const c = holder(a.owner);
      if (c && (live(c) || c.status === 'dead' || c.status === 'created')) continue;
      found.push({ what: `address ${a.address} on network ${name} is held by ${c ? `container ${c.name}, which is ${c.status}` : `no container (${a.owner.slice(0, 12)})`}`, repair: () => ipamOf(networking).release(name, a.owner) });
    }
  }
  // The host's interfaces, from sysfs; a port of a bridge has a `master` link to it.
  const bridges = new Set(networks.map((n) => n.bridge));
  for (const link of readdirSync('/sys/class/net')) {
    if (!/^vc[0-9a-f]{8}\d*$/.test(link)) continue;
    const owner = records.find((c) => c.id.startsWith(link.slice(2, 10)));
    if (owner && (live(owner) || owner.status === 'dead')) continue;
    // Only veths plugged into one of this root's bridges are ours (another carton state root may own the rest).
    let master: string;
    try {
      master = basename(readlinkSync(`/sys/class/net/${link}/master`));
    } catch {
      continue;
    }
    if (!bridges.has(master)) continue;
    found.push({ what: `veth ${link} on ${master} belongs to ${owner ? `container ${owner.name}, which is ${owner.status}` : 'no container'}`, repair: () => hostNetlink().deleteLink(link) });
  }
  for (const rule of networking.listRules(nftTable()).filter((r) => r.comment?.startsWith('ctr:'))) {
    const id = rule.comment!.slice(4);
    const c = holder(id);
    if (c && (live(c) || c.status === 'dead')) continue;
    found.push({ what: `nft rule ${rule.chain} handle ${rule.handle} (${rule.comment}) belongs to ${c ? `container ${c.name}, which is ${c.status}` : 'no container'}`, repair: () => networking.deleteRules(nftTable(), rule.comment!) });
  }
  // Images whose manifest or config cannot be read.
  const { images, store } = await openStore();
  for (const b of store.broken()) {
    const ref = b.names[0] ?? b.manifestDigest;
    found.push({ what: `image ${b.names[0] ? images.shortName(b.names[0]).join(':') : b.manifestDigest}: ${b.problem}`, repair: async () => void (await import('./images.js')).removeImage(images, store, ref, true) });
  }
  // Run directories of containers that do not exist.
  if (existsSync(runRoot())) {
    for (const id of readdirSync(runRoot()).filter((n) => /^[0-9a-f]{64}$/.test(n) && !byId.has(n))) {
      found.push({ what: `run directory ${join(runRoot(), id)} belongs to no container`, repair: () => rmSync(join(runRoot(), id), { recursive: true, force: true }) });
    }
  }
  return found;
}

export const systemCheck: Command = {
  name: 'system check',
  summary: 'Check carton\'s state against the host, and repair it',
  usage: '[OPTIONS]',
  flags: [{ name: 'repair', short: 'r', kind: 'bool', description: 'Free what no container explains, remove Dead records, and record the end of containers whose waiter is gone' }],
  details: 'Exit status: 0 when the state is consistent (or was repaired), 1 when problems remain.',
  async run(flags) {
    const found = await problems();
    for (const p of found) process.stdout.write(`found: ${p.what}\n`);
    if (found.length && flags.repair) {
      for (const p of found) {
        try {
          await p.repair();
          process.stdout.write(`fixed: ${p.what}\n`);
        } catch (error) {
          process.stdout.write(`not fixed: ${p.what}: ${(error as Error).message}\n`);
        }
      }
      const left = await problems();
      process.stdout.write(left.length ? `carton system check: ${left.length} problem${left.length > 1 ? 's' : ''} left\n` : 'carton system check: repaired; the state is consistent\n');
      return left.length ? 1 : 0;
    }
    process.stdout.write(found.length ? `carton system check: ${found.length} problem${found.length > 1 ? 's' : ''} found; run carton system check --repair\n` : 'carton system check: the state is consistent\n');
    return found.length ? 1 : 0;
  },
};
