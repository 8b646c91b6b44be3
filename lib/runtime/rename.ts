// `carton rename`: the container's name, and (on a user-defined network, chapter 06) the name
// it has there, change in one transaction of the state database, so no other command ever
// sees the record renamed and the network's allocation not, or the reverse.
import { chapter } from '../impl.js';
import { transaction } from '../sys/state-db.js';
import { chapterFeatures } from './level.js';
import { cartonRoot } from './paths.js';
import { renameContainer, type ContainerRecord } from './state.js';

export async function renameEverywhere(record: ContainerRecord, name: string): Promise<void> {
  const onNetwork = record.status === 'running' && !!record.resources.network && chapterFeatures().network;
  const [networking, networks] = onNetwork ? await Promise.all([chapter.networking(), import('./networks.js')]) : [];
  transaction(cartonRoot(), () => {
    renameContainer(record.id, name);
    if (networking && networks) networks.renameOnNetwork(networking, record, name);
  });
}
