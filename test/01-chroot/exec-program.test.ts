import { describe, expect, it } from 'vitest';
import { collect, probe } from '../helpers/index.js';

function execProbe(argv: string[], env: string[]) {
  return collect(probe('01-exec', [JSON.stringify({ argv, env })]));
}

describe('execProgram', () => {
  it('replaces the process with the program, with its own environment and stdio', async () => {
    const result = await execProbe(['sh', '-c', 'echo "$GREETING from $0"; echo err >&2; exit 3'], ['PATH=/usr/bin:/bin', 'GREETING=hello']);
    expect(result.stdout).toBe('hello from sh\n');
    expect(result.stderr).toBe('err\n');
    expect(result.status).toBe(3);
  });

  it('keeps the pid: the program is the process that called execve', async () => {
    const child = probe('01-exec', [JSON.stringify({ argv: ['sh', '-c', 'echo $$'], env: ['PATH=/bin'] })]);
    const result = await collect(child);
    expect(Number(result.stdout.trim())).toBe(child.pid);
  });

  it('searches the PATH given in env, not the caller\'s', async () => {
    const result = await execProbe(['true'], ['PATH=/nonexistent']);
    expect(result.status).toBe(127);
    expect(JSON.parse(result.stdout)).toMatchObject({ exitCode: 127 });
  });
});
