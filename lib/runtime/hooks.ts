// What chapters 04 and 06 add to a container's life, as hooks around the stage's wait:
//   ready (namespaces exist, nothing of the user's has run yet):
//     cgroups: create carton/<id> with the limits, move the stage into it (chapter 04);
//     network: an address, a veth into its namespace, published ports (chapter 06);
//   exit: was it OOM-killed? then free both. Both use the chapter modules through the
//   implementation switch, so a learner's own code runs here too.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chapter } from '../impl.js';
import { addHooks } from './lifecycle.js';
import { cartonRoot } from './paths.js';
import { runDir } from './start.js';
import { updateContainer, type ContainerRecord } from './state.js';

type Cgroups = Awaited<ReturnType<typeof chapter.cgroups>>;
type Networking = Awaited<ReturnType<typeof chapter.networking>>;
type NetworkConfig = ReturnType<Networking['defaultNetwork']>;

/** The default network, its subnet chosen once (clear of the host's routes) and then kept. */
export function bridgeNetwork(networking: Networking): NetworkConfig {
  const dir = join(cartonRoot(), 'networks');
  const file = join(dir, 'bridge.network.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as NetworkConfig;
  const net = networking.defaultNetwork('bridge', process.env.CARTON_BRIDGE || 'carton0', process.env.CARTON_NFT_TABLE || 'carton');
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(net, null, 2));
  return net;
}

let registered = false;

export async function registerHooks(level: number): Promise<void> {
  if (registered) return;
  registered = true;
  const cgroups: Cgroups | undefined = level >= 4 ? await chapter.cgroups() : undefined;
  const networking: Networking | undefined = level >= 6 ? await chapter.networking() : undefined;
  if (cgroups) addHooks(cgroupHooks(cgroups));
  if (networking) addHooks(networkHooks(networking));
}

function cgroupHooks(cgroups: Cgroups) {
  const open = (record: ContainerRecord) => cgroups.openCgroups().open(record.id);
  return {
    onReady(record: ContainerRecord, pid: number) {
      // Record the intent first: if carton is killed right after create(), crash recovery
      // still knows there is a cgroup to destroy (destroy() by id is idempotent).
      updateContainer(record.id, (r) => (r.resources.cgroup = []));
      const cgroup = cgroups.openCgroups().create(record.id, record.limits ?? {});
      updateContainer(record.id, (r) => (r.resources.cgroup = cgroup.paths));
      cgroup.join(pid); // before the stage unshares its cgroup namespace: this becomes its "/"
    },
    onExit(record: ContainerRecord) {
      try {
        return record.resources.cgroup ? { oomKilled: open(record).oomKilled() } : {};
      } catch {
        return {}; // the cgroup was never made (carton died in between): nothing to read
      }
    },
    release(record: ContainerRecord) {
      if (!record.resources.cgroup) return;
      open(record).destroy(); // kills what is left, then rmdir
      // The `carton` parent too, once its last container is gone: leave the host as we found it.
      const paths = record.resources.cgroup as string[];
      for (const dir of new Set(paths.map((p) => dirname(p)))) {
        try {
          rmdirSync(dir);
        } catch {
          // EBUSY: other containers still live there; ENOENT: already gone
        }
      }
    },
    beforeSignal(record: ContainerRecord) {
      if (record.status === 'paused') {
        open(record).thaw?.();
        updateContainer(record.id, (r) => (r.status = 'running'));
      }
    },
  };
}

function networkHooks(networking: Networking) {
  const ipam = () => new networking.Ipam(join(cartonRoot(), 'networks', 'ipam'));
  return {
    async onReady(record: ContainerRecord, pid: number) {
      const mode = record.network ?? 'bridge';
      if (mode === 'host') return;
      if (mode === 'none') {
        execFileSync('nsenter', [`--net=/proc/${pid}/ns/net`, 'ip', 'link', 'set', 'lo', 'up']);
        return;
      }
      const net = bridgeNetwork(networking);
      const ports = (record.publish ?? []).flatMap((spec) => networking.parsePublish(spec));
      updateContainer(record.id, (r) => (r.resources.network = { name: net.name, pending: true })); // as for the cgroup
      const connection = await networking.connect({ net, ipam: ipam(), id: record.id, pid, names: [record.name], ports });
      updateContainer(record.id, (r) => (r.resources.network = { name: net.name, address: connection.address, ports: connection.ports }));
      // /etc/hosts of the container, bind-mounted by the stage after this hook.
      writeFileSync(join(runDir(record.id), 'hosts'), networking.hostsFile(ipam().list(net.name).map((a) => ({ address: a.address, names: a.owner === record.id ? [...a.names, record.hostname] : a.names }))));
    },
    release(record: ContainerRecord) {
      if (record.resources.network) networking.disconnect({ net: bridgeNetwork(networking), ipam: ipam(), id: record.id });
    },
  };
}
