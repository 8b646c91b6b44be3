// What chapters 04 and 06 add to a container's life, as hooks around the stage's wait:
//   ready (namespaces exist, nothing of the user's has run yet):
//     cgroups: create carton/<id> with the limits, move the stage into it (chapter 04);
//     network: an address, a veth into its namespace, published ports, /etc/hosts
//     (chapter 06, in networks.ts);
//   exit: was it OOM-killed? then free both. Both use the chapter modules through the
//   implementation switch, so a learner's own code runs here too.
import { rmdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { chapter } from '../impl.js';
import { featuresAt } from './level.js';
import { cgroupLayout } from '../../solutions/00-doctor/cgroup-layout.js';
import { addHooks } from './lifecycle.js';
import { networkHooks } from './networks.js';
import { updateContainer, type ContainerRecord } from './state.js';
import { moveTo } from './status.js';

type Cgroups = Awaited<ReturnType<typeof chapter.cgroups>>;
type Networking = Awaited<ReturnType<typeof chapter.networking>>;
type Security = Awaited<ReturnType<typeof chapter.security>>;

let registered = false;

export async function registerHooks(level: number): Promise<void> {
  if (registered) return;
  registered = true;
  const uses = featuresAt(level);
  const cgroups: Cgroups | undefined = uses.cgroups ? await chapter.cgroups() : undefined;
  const networking: Networking | undefined = uses.network ? await chapter.networking() : undefined;
  const security: Security | undefined = uses.security ? await chapter.security() : undefined;
  if (cgroups) addHooks(cgroupHooks(cgroups, security));
  if (networking) addHooks(networkHooks(networking));
}

/**
 * Chapter 09: the container may open only the harmless devices. Its devices cgroup (v1)
 * says so in devices.allow; its cgroup v2 directory, in a BPF program attached to it. On a
 * hybrid machine both hold (an access must pass each), so the v2 program is at work here too.
 */
function restrictDevices(security: Security, record: ContainerRecord, paths: string[]): void {
  if (record.security?.privileged) return;
  const layout = cgroupLayout();
  const under = (mount: string | undefined) => mount && paths.find((p) => p.startsWith(mount + '/'));
  const v1 = under(layout.v1.devices);
  if (v1) security.restrictDevicesV1(v1);
  const v2 = under(layout.v2Mount);
  if (v2) security.restrictDevicesV2(v2);
}

function cgroupHooks(cgroups: Cgroups, security?: Security) {
  const open = (record: ContainerRecord) => cgroups.openCgroups().open(record.id);
  return {
    onReady(record: ContainerRecord, pid: number) {
      // Record the intent first: if carton is killed right after create(), crash recovery
      // still knows there is a cgroup to destroy (destroy() by id is idempotent).
      updateContainer(record.id, (r) => (r.resources.cgroup = []));
      const cgroup = cgroups.openCgroups().create(record.id, record.limits ?? {});
      updateContainer(record.id, (r) => (r.resources.cgroup = cgroup.paths));
      if (security) restrictDevices(security, record, cgroup.paths);
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
        updateContainer(record.id, (r) => r.status === 'paused' && moveTo(r, 'running'));
      }
    },
  };
}
