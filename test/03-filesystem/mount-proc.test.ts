import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstLine, isRoot, removeDir, repo, tempDir } from '../helpers/index.js';

describe.skipIf(!isRoot)('mountProc (needs root)', () => {
  let root: string;
  beforeAll(() => (root = tempDir()));
  afterAll(() => removeDir(root));

  it('mounts a procfs that shows the PID namespace of the process that mounted it', async () => {
    const child = spawn('unshare', ['--pid', '--fork', '--mount', '--propagation', 'private', process.execPath, '--import', 'tsx', 'test/probes/03-proc.ts', root], { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      const report = JSON.parse(await firstLine(child)) as { self: string; pids: number[] };
      expect(report.self).toBe('1'); // the probe is PID 1 in its namespace
      expect(report.pids).toContain(1);
      expect(report.pids.length).toBeLessThan(5); // only the namespace's processes, not the host's
      // Kernel state: the probe's mount table has a proc mount at <root>/proc with the flags.
      const unsharePid = child.pid!;
      const probePid = Number(readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8').trim().split(' ')[0]);
      const line = readFileSync(`/proc/${probePid}/mountinfo`, 'utf8').split('\n').find((l) => l.split(' ')[4] === `${root}/proc`);
      expect(line).toMatch(/ - proc proc /);
      expect(line?.split(' ')[5]).toMatch(/nosuid,nodev,noexec/);
    } finally {
      child.stdin?.end();
      child.kill('SIGKILL');
    }
  });
});
