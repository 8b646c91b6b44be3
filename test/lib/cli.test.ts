import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { carton, impl, isRoot, repo } from '../helpers/index.js';
import { verbs } from '../../lib/cli/main.js';

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

  it('rejects unknown flags with exit 125, unknown commands and missing arguments with 1, as Docker\'s CLI, each with a hint', async () => {
    const flag = await carton(['run', '--bogus', 'carton/busybox', 'true']);
    expect(flag.status).toBe(125);
    expect(flag.stderr).toMatch(/unknown flag: --bogus/);
    expect(flag.stderr).toMatch(/carton run --help/);
    const verb = await carton(['frobnicate']);
    expect(verb.status).toBe(1);
    const missing = await carton(['run']);
    expect(missing.status).toBe(1);
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
    const result = await carton(['run', '--name', 'notfound', 'carton/busybox', 'nosuchcmd']);
    expect(result.status).toBe(127);
    expect(result.stderr).toMatch(/exec `nosuchcmd`: executable file not found in \$PATH/);
    // Without --rm the failed container stays, as in Docker, with its status recorded.
    expect((await carton(['ps', '-a', '--format', '{{.Names}} {{.Status}}'])).stdout).toMatch(/^notfound Exited \(127\)/m);
    expect((await carton(['rm', 'notfound'])).status).toBe(0);
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
    expect(result.stderr).toMatch(/unable to find image `nosuchimage` locally, and carton is offline/);
  });
});

describe('help', () => {
  it('every command listed by `carton --help` has Docker-style --help, and `carton help VERB` is a manual page', async () => {
    const usage = (await carton(['--help'])).stdout;
    const verbs = usage.split('Commands:\n')[1].split('\n\n')[0].split('\n').map((l) => l.trim().split(/\s{2,}/)[0]);
    expect(verbs).toEqual(expect.arrayContaining(['run', 'ps', 'logs', 'exec', 'stop', 'kill', 'rm', 'inspect', 'create', 'start', 'restart', 'top', 'wait', 'rename', 'container prune', 'system prune', 'doctor']));
    for (const verb of verbs) {
      const help = await carton([...verb.split(' '), '--help']);
      expect(help.status, verb).toBe(0);
      expect(help.stdout, verb).toMatch(new RegExp(`^Usage:  carton ${verb} `));
    }
    const manual = await carton(['help', 'run']);
    expect(manual.stdout).toMatch(/^CARTON-RUN\(1\)\n\nNAME\n {7}carton run - create and run/);
    expect(manual.stdout).toMatch(/\nSYNOPSIS\n.*\n\nOPTIONS\n[\s\S]*-d, --detach\n[\s\S]*\nDETAILS\n[\s\S]*125 when carton itself fails/);
  });

  it("README's table of commands is `carton --help`'s list, command for command, summary for summary", async () => {
    const usage = (await carton(['--help'])).stdout;
    const listed = usage.split('Commands:\n')[1].split('\n\n')[0].split('\n').map((l) => l.trim().split(/\s{2,}/));
    const readme = readFileSync(join(repo, 'README.md'), 'utf8').split('### Every command')[1].split('\n### ')[0];
    const rows = [...readme.matchAll(/^\| `([a-z ]+)` \| (.*) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(listed);
  });

  it('every flag a command lists is read somewhere in lib/, or its help says it changes nothing', async () => {
    // A flag that parses but that no code reads would be a lie in --help. The names are
    // looked for as carton's code reads them (flags.name, flags['name'], or the quoted
    // name handed to a helper), outside the flag lists themselves.
    const sources = (function walk(dir: string): string[] {
      return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
    })(join(repo, 'lib'));
    const code = sources.map((f) => readFileSync(f, 'utf8').split('\n').filter((l) => !/\{ name: '/.test(l)).join('\n')).join('\n');
    const unread: string[] = [];
    for (const [verb, entry] of Object.entries(verbs)) {
      for (const flag of (await entry.load()).flags) {
        const read = new RegExp(`flags\\.${flag.name}\\b|flags\\[['"]${flag.name}['"]\\]|['"]${flag.name}['"]`).test(code);
        if (!read && !/no change|changes nothing|accepted/i.test(flag.description)) unread.push(`${verb} --${flag.name}`);
      }
    }
    expect(unread).toEqual([]);
  });

  it('missing arguments exit 1 with a pointer to --help', async () => {
    for (const verb of ['logs', 'stop', 'rm', 'exec', 'inspect', 'start', 'wait', 'rename', 'top']) {
      const result = await carton([verb]);
      expect(result.status, verb).toBe(1);
      expect(result.stderr, verb).toMatch(new RegExp(`See 'carton ${verb} --help'`));
    }
  });
});
