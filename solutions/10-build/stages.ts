// Chapter 10 — which stages a build needs: the target, and every earlier stage it reaches
// through `FROM <stage>` or `COPY --from=<stage>`, directly or not. The others are skipped.

/** One stage of a Dockerfile, as far as the plan needs it. */
export interface StageRef {
  /** `FROM … AS name`, lower case; undefined for an unnamed stage. */
  name?: string;
  /** Its position: 0 for the first FROM. */
  index: number;
  /** What its FROM names: an image, or an earlier stage by name or index. */
  base: string;
  /** The --from= values of its COPY (and ADD) instructions, in order. */
  copyFrom: string[];
}

// #region neededStages
export function neededStages(stages: StageRef[], target: StageRef): number[] {
  const find = (ref: string) => stages.find((s) => s.name === ref.toLowerCase() || String(s.index) === ref);
  const needed = new Set<number>();
  const need = (stage: StageRef) => {
    if (needed.has(stage.index)) return;
    needed.add(stage.index);
    for (const ref of [stage.base, ...stage.copyFrom]) {
      const other = find(ref);
      if (other && other.index < stage.index) need(other);
    }
  };
  need(target);
  return [...needed].sort((a, b) => a - b);
}
// #endregion neededStages
