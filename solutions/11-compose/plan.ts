// Chapter 11 — what a second `up` does to one service: which of its containers stay, which are
// replaced (their configuration or image changed, or --force-recreate), which go (scaled
// down, or a second container with the same number), and which numbers are made anew.

/** One existing container of the service, as its labels tell it. */
export interface Replica {
  id: string;
  /** com.docker.compose.container-number */
  number: number;
  /** com.docker.compose.config-hash */
  hash: string;
  imageId?: string;
}

export interface PlanOptions {
  replicas: number;
  /** The service's configuration hash now. */
  hash: string;
  /** The image the service would run now (undefined: not known yet, e.g. still to be built or pulled). */
  imageId?: string;
  forceRecreate?: boolean;
  noRecreate?: boolean;
}

export interface ServicePlan {
  /** Ids of containers to remove for good (with their anonymous volumes). */
  remove: string[];
  /** Ids of containers to replace: removed, and their number made anew (keeping their anonymous volumes). */
  recreate: string[];
  /** Ids of containers that stay as they are. */
  keep: string[];
  /** Container numbers to create, ascending. */
  create: number[];
}

// #region servicePlan
export function servicePlan(existing: Replica[], o: PlanOptions): ServicePlan {
  const plan: ServicePlan = { remove: [], recreate: [], keep: [], create: [] };
  const taken = new Set<number>();
  for (const c of [...existing].sort((a, b) => a.number - b.number || (a.id < b.id ? -1 : 1))) {
    if (c.number < 1 || c.number > o.replicas || taken.has(c.number)) {
      plan.remove.push(c.id);
      continue;
    }
    taken.add(c.number);
    const changed = c.hash !== o.hash || (o.imageId !== undefined && c.imageId !== o.imageId);
    if (!o.noRecreate && (o.forceRecreate || changed)) plan.recreate.push(c.id);
    else plan.keep.push(c.id);
  }
  const kept = new Set(existing.filter((c) => plan.keep.includes(c.id)).map((c) => c.number));
  for (let n = 1; n <= o.replicas; n++) if (!kept.has(n)) plan.create.push(n);
  return plan;
}
// #endregion servicePlan
