// Which containers use which images and layers: rmi refuses an image a container uses, and
// garbage collection keeps every layer directory a container record still names.
import { listContainers, type ContainerRecord } from './state.js';

/** Image ID → the containers (any state) created from it. */
export function imagesInUse(): Map<string, ContainerRecord[]> {
  const users = new Map<string, ContainerRecord[]>();
  for (const c of listContainers()) {
    if (c.imageId) users.set(c.imageId, [...(users.get(c.imageId) ?? []), c]);
  }
  return users;
}

/** Every layer directory some container's overlay stacks. */
export function layerDirsInUse(): Set<string> {
  return new Set(listContainers().flatMap((c) => c.layers));
}
