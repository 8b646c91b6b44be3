// CARTON_CHAPTER=N runs a container with the features of chapters 1..N only, so a learner
// can run their chapter's container before the later chapters' exercises are written.
import { CartonError } from '../sys/index.js';

export const LAST_CHAPTER = 11;

export function chapterLevel(value = process.env.CARTON_CHAPTER): number {
  if (value === undefined || value === '') return LAST_CHAPTER;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CartonError(`CARTON_CHAPTER must be a chapter number from 1 to ${LAST_CHAPTER}, not "${value}"`);
  return Math.min(n, LAST_CHAPTER);
}

/**
 * What each chapter adds to a container, by the chapter that builds it. The runtime asks
 * `featuresAt(level).overlay`, never `level >= 5`: this table is the one place that knows
 * which chapter is which.
 */
export const FEATURES = {
  chroot: 1,
  namespaces: 2,
  filesystem: 3,
  cgroups: 4,
  overlay: 5,
  volumes: 5,
  network: 6,
  images: 7,
  oci: 8,
  security: 9,
} as const;

export type Feature = keyof typeof FEATURES;
export type Features = Readonly<Record<Feature, boolean>>;

const built = new Map<number, Features>();

/** The features of chapters 1..level, built once per level. */
export function featuresAt(level: number): Features {
  let features = built.get(level);
  if (!features) {
    features = Object.freeze(Object.fromEntries(Object.entries(FEATURES).map(([name, chapter]) => [name, level >= chapter])) as Record<Feature, boolean>);
    built.set(level, features);
  }
  return features;
}

/** The features CARTON_CHAPTER asks for (all of them when it is unset). */
export const chapterFeatures = (): Features => featuresAt(chapterLevel());
