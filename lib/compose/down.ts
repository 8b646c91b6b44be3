// compose down: stop and remove the project's containers (in the reverse of the start
// order), then the networks it made; its volumes with -v; the images it built or used with
// --rmi. External networks and volumes are never removed: the project did not make them.
import { chapter } from '../impl.js';
import * as engine from '../runtime/engine.js';
import { networkUsers, registry } from '../runtime/networks.js';
import type { Project } from './model.js';
import { containersOf, imageOf, LABEL, projectVolumes, say, serviceOf } from './engine.js';
import { ordered, removeOne } from './up.js';

export interface DownOptions {
  volumes: boolean;
  rmi?: 'local' | 'all';
  removeOrphans: boolean;
  timeout?: number;
}

export async function down(project: Project, o: DownOptions): Promise<void> {
  await engine.recover();
  const known = { ...project.disabled, ...project.services };
  const order = (await ordered(Object.values(known))).map((s) => s.name).reverse();
  const containers = containersOf(project.name, { oneoff: true });
  const orphans = containers.filter((c) => !known[serviceOf(c)]);
  if (orphans.length && !o.removeOrphans) {
    process.stderr.write(`WARN Found orphan containers (${orphans.map((c) => c.name).join(', ')}) for this project. Run down with --remove-orphans to remove them.\n`);
  }
  const doomed = [...(o.removeOrphans ? orphans : []), ...order.flatMap((name) => containers.filter((c) => serviceOf(c) === name))];
  for (const c of doomed) await removeOne(c, o.timeout ?? known[serviceOf(c)]?.stopGracePeriod, o.volumes);
  const networking = await chapter.networking();
  for (const def of Object.values(project.networks)) {
    if (def.external) continue;
    const net = registry(networking).get(def.name);
    if (!net || net.labels?.[LABEL.project] !== project.name) continue;
    say('Network', def.name, 'Removing');
    registry(networking).remove(def.name, (n) => networkUsers(n.name));
    say('Network', def.name, 'Removed');
  }
  if (o.volumes) {
    const volumes = await projectVolumes();
    const { volumeUser } = await import('../cli/commands/volume.js');
    const here = new Map(volumes.list().map((v) => [v.name, v]));
    for (const def of Object.values(project.volumes)) {
      const v = here.get(def.name);
      if (def.external || !v || v.labels?.[LABEL.project] !== project.name) continue;
      say('Volume', def.name, 'Removing');
      volumes.remove(def.name, volumeUser);
      say('Volume', def.name, 'Removed');
    }
  }
  if (o.rmi) {
    const { rmi } = await import('../cli/commands/images.js');
    const refs = [...new Set(Object.values(known).filter((s) => o.rmi === 'all' || !s.image).map((s) => imageOf(project, s)))];
    for (const ref of refs) {
      say('Image', ref, 'Removing');
      if ((await rmi.run({}, [ref])) === 0) say('Image', ref, 'Removed');
    }
  }
}
