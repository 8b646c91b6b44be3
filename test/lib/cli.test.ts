import { describe, expect, it } from 'vitest';
import { carton, impl, isRoot } from '../helpers/index.js';

describe('carton (CLI)', () => {
  it('says which implementation it runs: the switch reaches the CLI', async () => {
    const result = await carton(['version']);
    expect(result.stdout).toContain(`implementation: ${impl}`);
    const other = await carton(['version'], { env: { CARTON_IMPL: 'exercises' } });
    expect(other.stdout).toContain('implementation: exercises');
  });

  it('rejects a bad CARTON_IMPL value', async () => {
    const result = await carton(['version'], { env: { CARTON_IMPL: 'nonsense' } });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/CARTON_IMPL must be/);
  });

  it('rejects unknown flags and commands with exit 125 and a hint', async () => {
    const flag = await carton(['run', '--bogus', 'carton/busybox', 'true']);
    expect(flag.status).toBe(125);
    expect(flag.stderr).toMatch(/unknown flag: --bogus/);
    expect(flag.stderr).toMatch(/carton run --help/);
    const verb = await carton(['frobnicate']);
    expect(verb.status).toBe(125);
    const missing = await carton(['run']);
    expect(missing.status).toBe(125);
    expect(missing.stderr).toMatch(/requires at least 1 argument/);
  });

  it('prints help in Docker\'s style', async () => {
    const result = await carton(['run', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage:  carton run \[OPTIONS\] IMAGE/);
    expect(result.stdout).toMatch(/-e, --env list/);
  });

  it('refuses to run without root, naming the privilege, exit 125', async () => {
    const result = await carton(['run', '--rm', 'carton/busybox', 'true'], { asUser: 65534, env: { CARTON_ROOT: '/nonexistent' } });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/needs root privileges \(CAP_SYS_ADMIN/);
    expect(result.stderr).toMatch(/sudo carton run/);
  });
});

describe.skipIf(!isRoot)('carton run (needs root)', () => {
  it('passes output through and propagates the exit status', async () => {
    const result = await carton(['run', '--rm', 'carton/busybox', '/bin/sh', '-c', 'echo hi; exit 3']);
    expect(result.stdout).toBe('hi\n');
    expect(result.status).toBe(3);
  });

  it('exits 127 with a clear message for a missing command', async () => {
    const result = await carton(['run', 'carton/busybox', 'nosuchcmd']);
    expect(result.status).toBe(127);
    expect(result.stderr).toMatch(/exec `nosuchcmd`: executable file not found in \$PATH/);
  });

  it('exits 126 for a file that cannot be executed', async () => {
    const result = await carton(['run', '--rm', 'carton/busybox', '/etc/passwd']);
    expect(result.status).toBe(126);
    expect(result.stderr).toMatch(/permission denied/);
  });

  it('passes stdin, environment and working directory', async () => {
    const result = await carton(['run', '--rm', '-i', '-e', 'A=1', '-w', '/tmp', 'carton/busybox', 'sh', '-c', 'read x; echo "$x $A $(pwd)"'], { input: 'in\n' });
    expect(result.stdout).toBe('in 1 /tmp\n');
  });

  it('reports a missing image clearly, exit 125', async () => {
    const result = await carton(['run', '--rm', 'nosuchimage', 'true']);
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/unable to find image `nosuchimage`/);
  });
});
