// `carton oci …` and `carton-runc …`: the OCI runtime with runc's command line, so that
// containerd (`ctr run --runc-binary`, or a runtime's BinaryName) and anything else that
// drives runc can drive carton. Global options come before the command, as runc takes them:
//   carton oci [--root DIR] [--log FILE] [--log-format text|json] [--debug] COMMAND [OPTIONS] ID
// Errors go to stderr and, with --log, to the log (containerd reads the last error from it).
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CartonError, q } from '../sys/index.js';

type Spec = { bool?: string[]; value?: string[]; list?: string[]; alias?: Record<string, string> };

// Each command's options (runc's names; -x aliases as runc has them). Options runc takes
// that change nothing here are accepted: --no-new-keyring (carton never makes a session
// keyring), --no-pivot (carton always pivots), --preserve-fds 0, --criu.
const COMMANDS: Record<string, Spec & { usage: string; summary: string }> = {
  create: { usage: 'create [--bundle DIR] [--pid-file FILE] [--console-socket SOCKET] ID', summary: 'create a container from a bundle; it waits for start', value: ['bundle', 'pid-file', 'console-socket', 'preserve-fds'], bool: ['no-pivot', 'no-new-keyring'], alias: { b: 'bundle' } },
  start: { usage: 'start ID', summary: 'run the program of a created container' },
  run: { usage: 'run [--bundle DIR] [--detach] [--pid-file FILE] [--console-socket SOCKET] [--keep] ID', summary: 'create and start a container; wait for it unless --detach', value: ['bundle', 'pid-file', 'console-socket', 'preserve-fds'], bool: ['detach', 'keep', 'no-pivot', 'no-new-keyring'], alias: { b: 'bundle', d: 'detach' } },
  state: { usage: 'state ID', summary: 'print the state of a container (JSON)' },
  kill: { usage: 'kill [--all] ID [SIGNAL]', summary: 'send a signal (default SIGTERM) to the container\'s init, or to all its processes', bool: ['all'], alias: { a: 'all' } },
  delete: { usage: 'delete [--force] ID', summary: 'delete a stopped container (--force: any container)', bool: ['force'], alias: { f: 'force' } },
  pause: { usage: 'pause ID', summary: 'freeze every process of the container' },
  resume: { usage: 'resume ID', summary: 'thaw a paused container' },
  ps: { usage: 'ps [--format table|json] ID [ps OPTIONS]', summary: 'the processes of a container', value: ['format'], alias: { f: 'format' } },
  list: { usage: 'list [--format table|json] [--quiet]', summary: 'the containers of this root', value: ['format'], bool: ['quiet'], alias: { f: 'format', q: 'quiet' } },
  exec: { usage: 'exec [--process FILE | OPTIONS] ID [COMMAND ARG...]', summary: 'run another process in a container', value: ['process', 'pid-file', 'console-socket', 'cwd', 'user', 'preserve-fds'], list: ['env', 'cap', 'additional-gids'], bool: ['tty', 'detach', 'no-new-privs'], alias: { p: 'process', t: 'tty', d: 'detach', e: 'env', u: 'user', c: 'cap', g: 'additional-gids' } },
  events: { usage: 'events [--stats] [--interval 5s] ID', summary: 'resource usage statistics (and, without --stats, every interval)', value: ['interval'], bool: ['stats'] },
  update: { usage: 'update [--resources FILE|-] [--memory N] [--cpu-shares N] [--cpu-quota N] [--cpu-period N] [--cpuset-cpus LIST] [--pids-limit N] ID', summary: 'new limits for a running container (linux.resources JSON, or flags)', value: ['resources', 'memory', 'memory-swap', 'cpu-shares', 'cpu-quota', 'cpu-period', 'cpuset-cpus', 'pids-limit', 'kernel-memory', 'blkio-weight', 'memory-reservation', 'cpuset-mems', 'l3-cache-schema', 'mem-bw-schema'], alias: { r: 'resources' } },
  spec: { usage: 'spec [--bundle DIR] [--no-terminal] [-- COMMAND ARG...]', summary: 'write a default config.json, as runc spec does (carton\'s additions: --no-terminal, and the command)', value: ['bundle'], bool: ['rootless', 'no-terminal'], alias: { b: 'bundle' } },
  features: { usage: 'features', summary: 'what this runtime supports (JSON)' },
};

const GLOBAL: Spec = { value: ['root', 'log', 'log-format', 'criu', 'rootless'], bool: ['debug', 'systemd-cgroup', 'help', 'version'], alias: { h: 'help', v: 'version' } };

interface Parsed {
  flags: Record<string, string | boolean | string[]>;
  rest: string[];
}

/** runc's (urfave/cli's) rules: -x or --x, "--x value" or "--x=value", options stop at the first operand. */
function parse(argv: string[], spec: Spec, where: string): Parsed {
  const flags: Parsed['flags'] = {};
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    const [rawName, inline] = arg.replace(/^--?/, '').split(/=(.*)/s, 2) as [string, string | undefined];
    const name = spec.alias?.[rawName] ?? rawName;
    if (spec.bool?.includes(name)) flags[name] = inline === undefined ? true : inline !== 'false';
    else if (spec.value?.includes(name) || spec.list?.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new CartonError(`${where}: option --${name} needs a value`);
      if (spec.list?.includes(name)) flags[name] = [...((flags[name] as string[]) ?? []), value];
      else flags[name] = value;
    } else throw new CartonError(`${where}: unknown option ${q(arg)}`, `see carton oci ${where === 'carton oci' ? '' : where.split(' ').pop() + ' '}--help`);
  }
  return { flags, rest: argv.slice(i) };
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 3;
  return [
    'Usage:  carton oci [--root DIR] [--log FILE] [--log-format text|json] COMMAND [OPTIONS] ID',
    '        (the same as carton-runc …, runc\'s command line)',
    '',
    'The OCI runtime: containers from bundles (a config.json and a root filesystem), as runc runs them.',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`),
    '',
    `Global options: --root DIR (default ${'$CARTON_RUN/oci'}), --log FILE, --log-format text|json, --debug,`,
    '  --systemd-cgroup (refused: carton manages cgroupfs).',
    '',
  ].join('\n');
}

export async function ociMain(argv: string[]): Promise<number> {
  let log: { file: string; json: boolean } | undefined;
  const warn = (message: string) => writeLog(log, 'warning', message);
  try {
    const global = parse(argv, GLOBAL, 'carton oci');
    if (global.flags['log']) log = { file: resolve(global.flags['log'] as string), json: global.flags['log-format'] === 'json' };
    if (global.flags['log-format'] && !['text', 'json'].includes(global.flags['log-format'] as string)) throw new CartonError(`--log-format: ${q(global.flags['log-format'] as string)} is not text or json`);
    if (global.flags['rootless'] === 'true') throw new CartonError('--rootless: carton runs containers as root only');
    if (global.flags['version']) {
      process.stdout.write('carton-runc version 0.8.0\nspec: 1.0.2\n');
      return 0;
    }
    const [name, ...rest] = global.rest;
    if (!name || global.flags['help'] || name === 'help') {
      process.stdout.write(usage());
      return name || global.flags['help'] ? 0 : 1;
    }
    const command = COMMANDS[name];
    if (!command) throw new CartonError(`${q(name)} is not a carton oci command`, "see 'carton oci --help'");
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`Usage:  carton oci ${command.usage}\n\n${command.summary}\n`);
      return 0;
    }
    const { flags, rest: operands } = parse(rest, command, `carton oci ${name}`);
    const { defaultRoot } = await import('../oci/store.js');
    const root = resolve((global.flags['root'] as string | undefined) ?? defaultRoot());
    return await run(name, flags, operands, { root, systemdCgroup: !!global.flags['systemd-cgroup'], warn });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = (error as { hint?: string }).hint;
    writeLog(log, 'error', message);
    process.stderr.write(`carton oci: ${message}\n${hint ? `hint: ${hint}\n` : ''}`);
    if (!(error instanceof CartonError) && process.env.CARTON_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return (error as { exitCode?: number }).exitCode ?? 1;
  }
}

function writeLog(log: { file: string; json: boolean } | undefined, level: string, msg: string): void {
  if (!log) {
    if (level !== 'error') process.stderr.write(`carton oci: ${level}: ${msg}\n`);
    return;
  }
  const time = new Date().toISOString();
  appendFileSync(log.file, log.json ? JSON.stringify({ level, msg, time }) + '\n' : `time="${time}" level=${level} msg=${JSON.stringify(msg)}\n`);
}

interface Context {
  root: string;
  systemdCgroup: boolean;
  warn: (message: string) => void;
}

async function run(name: string, flags: Parsed['flags'], operands: string[], ctx: Context): Promise<number> {
  const { root, warn } = ctx;
  const id = () => {
    if (!operands[0]) throw new CartonError(`carton oci ${name}: a container id is required`, `usage: carton oci ${COMMANDS[name].usage}`);
    return operands[0];
  };
  const lifecycle = () => import('../oci/lifecycle.js');
  switch (name) {
    case 'create': {
      const { create } = await import('../oci/create.js');
      const { child } = await create({ root, id: id(), bundle: (flags['bundle'] as string) ?? process.cwd(), pidFile: flags['pid-file'] as string, consoleSocket: flags['console-socket'] as string, systemdCgroup: ctx.systemdCgroup, warn });
      child.unref();
      return 0;
    }
    case 'run': {
      const { runBundle } = await import('../oci/run.js');
      return runBundle({ root, id: id(), bundle: (flags['bundle'] as string) ?? process.cwd(), pidFile: flags['pid-file'] as string, consoleSocket: flags['console-socket'] as string, systemdCgroup: ctx.systemdCgroup, warn }, !!flags['detach'], !!flags['keep']);
    }
    case 'start':
      await (await lifecycle()).start(root, id(), warn);
      return 0;
    case 'state': {
      const { load, state } = await import('../oci/store.js');
      process.stdout.write(JSON.stringify(await state(root, load(root, id())), null, 2) + '\n');
      return 0;
    }
    case 'kill':
      await (await lifecycle()).kill(root, id(), operands[1] ?? 'SIGTERM', !!flags['all']);
      return 0;
    case 'delete':
      await (await lifecycle()).remove_(root, id(), !!flags['force'], warn);
      return 0;
    case 'pause':
      await (await lifecycle()).pause(root, id());
      return 0;
    case 'resume':
      await (await lifecycle()).resume(root, id());
      return 0;
    case 'ps': {
      const pids = (await lifecycle()).pids(root, id());
      if (flags['format'] === 'json') process.stdout.write(JSON.stringify(pids) + '\n');
      else {
        const { psOf } = await import('../runtime/top.js');
        process.stdout.write(psOf(pids, operands.slice(1)));
      }
      return 0;
    }
    case 'list': {
      const { state } = await import('../oci/store.js');
      const all = await Promise.all((await lifecycle()).list(root).map((r) => state(root, r)));
      if (flags['quiet']) process.stdout.write(all.map((s) => s.id + '\n').join(''));
      else if (flags['format'] === 'json') process.stdout.write(JSON.stringify(all) + '\n');
      else {
        const { table } = await import('./format.js');
        process.stdout.write(table([['ID', 'PID', 'STATUS', 'BUNDLE', 'CREATED', 'OWNER'], ...all.map((s) => [s.id, String(s.pid ?? 0), s.status, s.bundle, s.created, 'root'])]));
      }
      return 0;
    }
    case 'exec': {
      const { execProcess } = await import('../oci/exec.js');
      return execProcess(root, id(), {
        processFile: flags['process'] as string, args: operands.slice(1), env: (flags['env'] as string[]) ?? [], cwd: flags['cwd'] as string,
        user: flags['user'] as string, tty: !!flags['tty'], detach: !!flags['detach'], pidFile: flags['pid-file'] as string,
        consoleSocket: flags['console-socket'] as string, caps: (flags['cap'] as string[]) ?? [], noNewPrivs: !!flags['no-new-privs'],
      });
    }
    case 'update': {
      const { updateResources } = await import('../oci/update.js');
      await updateResources(root, id(), flags as Record<string, string>);
      return 0;
    }
    case 'events': {
      const { events } = await import('../oci/events.js');
      return events(root, id(), !!flags['stats'], (flags['interval'] as string) ?? '5s');
    }
    case 'spec': {
      if (flags['rootless']) throw new CartonError('spec --rootless: carton runs containers as root only');
      const bundle = resolve((flags['bundle'] as string) ?? '.');
      const file = join(bundle, 'config.json');
      if (existsSync(file)) throw new CartonError(`${q(file)} exists already`, 'remove it first, as runc spec asks');
      const { chapter } = await import('../impl.js');
      const spec = (await chapter.oci()).defaultSpec({ terminal: !flags['no-terminal'], ...(operands.length ? { args: operands } : {}) });
      writeFileSync(file, JSON.stringify(spec, null, '\t') + '\n');
      return 0;
    }
    case 'features':
      process.stdout.write(JSON.stringify(await (await import('../oci/features.js')).features(), null, 2) + '\n');
      return 0;
  }
  return 1;
}
