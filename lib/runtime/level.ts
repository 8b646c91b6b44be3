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
