import { randomBytes } from 'node:crypto';

/** 64 hex characters, shown as 12, like Docker's container ids. */
export function newContainerId(): string {
  return randomBytes(32).toString('hex');
}
