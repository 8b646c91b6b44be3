import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstLine, isRoot, repo } from '../helpers/index.js';
import { spawn } from 'node:child_process';

describe.skipIf(!isRoot)('makeMountsPrivate (needs root)', () => {
  it('leaves no mount of the namespace shared (no "shared:" tag in mountinfo)', async () => {
    const child = spawn('unshare', ['--mount', '--propagation', 'unchanged', process.execPath, '--import', 'tsx', 'test/probes/03-private.ts'], { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      await firstLine(child);
      const mountinfo = readFileSync(`/proc/${child.pid}/mountinfo`, 'utf8').trim().split('\n');
      expect(mountinfo.length).toBeGreaterThan(3);
      expect(mountinfo.filter((line) => / shared:\d+/.test(line))).toEqual([]);
    } finally {
      child.stdin?.end();
      child.kill('SIGKILL');
    }
  });
});
