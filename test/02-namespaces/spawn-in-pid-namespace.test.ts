import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstLine, isRoot, probe } from '../helpers/index.js';

const ino = (pid: number | string) => statSync(`/proc/${pid}/ns/pid`).ino;

describe.skipIf(!isRoot)('spawnInPidNamespace (needs root)', () => {
  it('starts the child as PID 1 of a new PID namespace and leaves the parent where it was', async () => {
    const child = probe('02-pidns');
    let inner: number | undefined;
    try {
      const report = JSON.parse(await firstLine(child)) as { childPid: number; inner: number; asyncWorks: boolean };
      inner = report.childPid;
      expect(report.inner).toBe(1); // the child sees itself as PID 1
      expect(ino(report.childPid)).not.toBe(ino(child.pid!)); // kernel state: another namespace
      expect(ino(child.pid!)).toBe(ino('self')); // the parent stayed in ours
      // /proc/<child>/ns/pid_for_children of the parent is restored too
      expect(statSync(`/proc/${child.pid}/ns/pid_for_children`).ino).toBe(ino('self'));
      expect(report.asyncWorks).toBe(true);
    } finally {
      child.stdin?.end();
      child.kill('SIGKILL');
      // The probe's child is PID 1 of its own namespace and outlives the probe: end it by its host pid.
      if (inner) process.kill(inner, 'SIGKILL');
    }
  });
});
