// carton compose: multi-container applications from a compose.yaml (chapter 11). Global
// options come before the sub-command, as Docker Compose's do; each sub-command is a thin
// front end over lib/compose (load the project, call one function, print).
import { parseArgs, UsageError, type FlagSpec, type Flags } from '../args.js';
import { helpText, type Command } from '../command.js';
import { renderError } from '../render.js';
import { CartonError, q } from '../../sys/index.js';
import { requireRoot } from '../privileges.js';
import type { Project } from '../../compose/model.js';
import type { ContainerRecord } from '../../runtime/state.js';

interface Globals {
  files: string[];
  projectName?: string;
  projectDirectory?: string;
  profiles: string[];
  envFiles: string[];
}

interface Sub {
  name: string;
  summary: string;
  usage: string;
  flags: FlagSpec[];
  stopAtOperand?: boolean;
  details?: string;
  run(flags: Flags, operands: string[], g: Globals): Promise<number>;
}

const load = async (g: Globals): Promise<Project> => (await import('../../compose/load.js')).loadProject(g);
const engine = () => import('../../compose/engine.js');
const upModule = () => import('../../compose/up.js');
/** carton's engine (the runtime's; `engine` above is compose's): every container operation goes through it. */
const runtime = () => import('../../runtime/engine.js');

/** The project's containers of the services named (all when none), one-offs included with `oneoff`. */
async function containersFor(project: Project, services: string[], oneoff = false): Promise<ContainerRecord[]> {
  const { containersOf } = await engine();
  const known = { ...project.services, ...project.disabled };
  for (const s of services) if (!known[s]) throw new CartonError(`no such service: ${s}`, `the services are: ${Object.keys(known).sort().join(', ')}`);
  return containersOf(project.name, { services, oneoff });
}

const time = (flags: Flags): number | undefined => {
  if (flags.timeout === undefined) return undefined;
  const n = Number(flags.timeout);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`invalid --timeout ${q(String(flags.timeout))}: a number of seconds`);
  return n;
};

const timeoutFlag: FlagSpec = { name: 'timeout', short: 't', kind: 'string', value: 'int', description: 'Specify a shutdown timeout in seconds' };

function scales(flags: Flags): Record<string, number> {
  return Object.fromEntries(((flags.scale as string[] | undefined) ?? []).map((spec) => {
    const m = /^([^=]+)=(\d+)$/.exec(spec);
    if (!m) throw new UsageError(`invalid --scale ${q(spec)}: expected SERVICE=NUM`);
    return [m[1], Number(m[2])];
  }));
}

/** up's (and create's) flags as the engine's options. */
function upOptions(flags: Flags): import('../../compose/up.js').UpOptions {
  return {
    build: !!flags.build, noBuild: !!flags['no-build'], forceRecreate: !!flags['force-recreate'], noRecreate: !!flags['no-recreate'],
    removeOrphans: !!flags['remove-orphans'], noStart: !!flags['no-start'], noDeps: !!flags['no-deps'], timeout: time(flags), scale: scales(flags),
  };
}

const upFlags: FlagSpec[] = [
  { name: 'detach', short: 'd', kind: 'bool', description: 'Detached mode: run containers in the background' },
  { name: 'build', kind: 'bool', description: 'Build images before starting containers' },
  { name: 'no-build', kind: 'bool', description: "Don't build an image, even if it's missing" },
  { name: 'force-recreate', kind: 'bool', description: "Recreate containers even if their configuration and image haven't changed" },
  { name: 'no-recreate', kind: 'bool', description: "If containers already exist, don't recreate them" },
  { name: 'remove-orphans', kind: 'bool', description: 'Remove containers for services not defined in the Compose file' },
  { name: 'no-deps', kind: 'bool', description: "Don't start linked services" },
  { name: 'no-start', kind: 'bool', description: "Don't start the services after creating them" },
  { name: 'wait', kind: 'bool', description: 'Wait for services to be running|healthy. Implies detached mode' },
  { name: 'wait-timeout', kind: 'string', value: 'int', description: 'Maximum duration in seconds to wait for the project to be running|healthy' },
  { name: 'abort-on-container-exit', kind: 'bool', description: 'Stops all containers if any container was stopped. Incompatible with -d' },
  { name: 'exit-code-from', kind: 'string', value: 'string', description: 'Return the exit code of the selected service container. Implies --abort-on-container-exit' },
  { name: 'no-color', kind: 'bool', description: 'Produce monochrome output' },
  { name: 'no-log-prefix', kind: 'bool', description: "Don't print prefix in logs" },
  { name: 'scale', kind: 'list', description: 'Scale SERVICE to NUM instances (SERVICE=NUM)' },
  timeoutFlag,
];

const up: Sub = {
  name: 'up', summary: 'Create and start containers', usage: '[OPTIONS] [SERVICE...]', flags: upFlags,
  details: 'Without -d, the services\' output is shown, prefixed by container name, until they all exit; Ctrl-C stops them.',
  async run(flags, operands, g) {
    if (flags.build && flags['no-build']) throw new UsageError('--build and --no-build are incompatible');
    if (flags['force-recreate'] && flags['no-recreate']) throw new UsageError('--force-recreate and --no-recreate are incompatible');
    const abort = !!flags['abort-on-container-exit'] || flags['exit-code-from'] !== undefined;
    const detach = !!flags.detach || !!flags.wait;
    if (detach && abort) throw new UsageError('--abort-on-container-exit and --exit-code-from are incompatible with -d and --wait');
    const waitTimeout = flags['wait-timeout'] === undefined ? Infinity : Number(flags['wait-timeout']) * 1000;
    if (Number.isNaN(waitTimeout)) throw new UsageError(`invalid --wait-timeout ${q(String(flags['wait-timeout']))}: seconds`);
    requireRoot('compose up');
    const project = await load(g);
    if (flags['exit-code-from'] !== undefined && !project.services[flags['exit-code-from'] as string]) throw new UsageError(`no such service: ${flags['exit-code-from']}`);
    const m = await upModule();
    const before = m.logOffsets((await engine()).containersOf(project.name));
    const containers = await m.up(project, operands, upOptions(flags));
    if (flags.wait) await m.waitHealthy(project, containers, waitTimeout);
    if (detach || flags['no-start']) return 0;
    return attach(project, containers, before, flags, abort);
  },
};

/** up without -d: the containers' output until they have all exited; Ctrl-C (or an exit, with --abort-on-container-exit) stops them. */
async function attach(project: Project, containers: ContainerRecord[], from: Map<string, number>, flags: Flags, abort: boolean): Promise<number> {
  const { printLogs } = await import('../../compose/logs.js');
  const containerEngine = await runtime();
  const { serviceOf } = await engine();
  process.stdout.write(`Attaching to ${containers.map((c) => c.name).join(', ')}\n`);
  let stopping = false;
  let firstExit: ContainerRecord | undefined;
  const onSignal = () => {
    if (stopping) process.exit(130); // a second Ctrl-C: leave now, as Docker Compose does
    stopping = true;
    process.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const shown = {
      tail: Infinity, timestamps: false, prefix: !flags['no-log-prefix'], colour: !flags['no-color'] && !!process.stdout.isTTY,
      onExit: (c: ContainerRecord) => {
        firstExit ??= c;
        process.stdout.write(`${c.name} exited with code ${c.exitCode}\n`);
      },
    };
    const seen = await printLogs(() => containers, { ...shown, follow: true, from, stop: () => stopping || (abort && firstExit !== undefined) });
    if (stopping || abort) {
      if (abort && !stopping) process.stdout.write('Aborting on container exit...\n');
      for (const c of [...containers].reverse()) {
        const fresh = containerEngine.reload(c);
        if (fresh && fresh.status !== 'exited' && fresh.status !== 'created') {
          const { say } = await engine();
          say('Container', c.name, 'Stopping');
          await containerEngine.stop(fresh, time(flags) ?? project.services[serviceOf(c)]?.stopGracePeriod ?? fresh.stopTimeout ?? 10);
          say('Container', c.name, 'Stopped');
        }
      }
      await printLogs(() => containers, { ...shown, follow: false, from: seen.offsets, reported: seen.reported }); // what they said while stopping
    }
    if (flags['exit-code-from'] !== undefined) {
      const from = containers.find((c) => serviceOf(c) === flags['exit-code-from']);
      return (from && containerEngine.reload(from)?.exitCode) ?? 0;
    }
    if (abort && firstExit) return firstExit.exitCode ?? 0;
    return stopping ? 130 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

const down: Sub = {
  name: 'down', summary: 'Stop and remove containers, networks', usage: '[OPTIONS]',
  flags: [
    { name: 'volumes', short: 'v', kind: 'bool', description: 'Remove named volumes declared in the "volumes" section of the Compose file' },
    { name: 'rmi', kind: 'string', value: 'string', description: 'Remove images used by services: "local" removes only images that don\'t have a custom tag, "all" removes all' },
    { name: 'remove-orphans', kind: 'bool', description: 'Remove containers for services not defined in the Compose file' },
    timeoutFlag,
  ],
  async run(flags, _operands, g) {
    const rmi = flags.rmi as string | undefined;
    if (rmi !== undefined && rmi !== 'local' && rmi !== 'all') throw new UsageError(`invalid --rmi ${q(rmi)}: use local or all`);
    requireRoot('compose down');
    const project = await load(g);
    await (await import('../../compose/down.js')).down(project, { volumes: !!flags.volumes, rmi, removeOrphans: !!flags['remove-orphans'], timeout: time(flags) });
    return 0;
  },
};

const psSub: Sub = {
  name: 'ps', summary: 'List containers', usage: '[OPTIONS] [SERVICE...]',
  flags: [
    { name: 'all', short: 'a', kind: 'bool', description: 'Show all stopped containers (including those created by the run command)' },
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Only display IDs' },
    { name: 'services', kind: 'bool', description: 'Display services' },
    { name: 'status', kind: 'list', description: 'Filter services by status: created, restarting, running, paused, exited' },
    { name: 'format', kind: 'string', value: 'string', description: "Format the output: table (default), json, or a Go template" },
    { name: 'no-trunc', kind: 'bool', description: "Don't truncate output" },
  ],
  async run(flags, operands, g) {
    const project = await load(g);
    await (await runtime()).recover();
    const statuses = (flags.status as string[] | undefined) ?? [];
    let list = (await containersFor(project, operands, !!flags.all)).filter((c) => flags.all || statuses.length ? true : c.status !== 'exited' && c.status !== 'created');
    if (statuses.length) list = list.filter((c) => statuses.includes(c.status));
    const { serviceOf } = await engine();
    if (flags.services) {
      process.stdout.write([...new Set(list.map(serviceOf))].map((s) => s + '\n').join(''));
      return 0;
    }
    if (flags.quiet) {
      process.stdout.write(list.map((c) => (flags['no-trunc'] ? c.id : c.id.slice(0, 12)) + '\n').join(''));
      return 0;
    }
    const [{ quoteCommand, since, statusText, table }, { portsText: ports }] = await Promise.all([import('../format.js'), import('./port.js')]);
    const rows = list.map((c) => ({
      ID: flags['no-trunc'] ? c.id : c.id.slice(0, 12), Name: c.name, Image: c.image, Command: quoteCommand(c.argv), Project: project.name, Service: serviceOf(c),
      RunningFor: since(c.created), CreatedAt: c.created, Status: statusText(c), State: c.status, Health: c.healthcheck && c.health ? c.health.status : '', ExitCode: String(c.exitCode ?? 0), Ports: ports(c),
    }));
    const format = flags.format as string | undefined;
    if (format === 'json') process.stdout.write(rows.map((r) => JSON.stringify(r) + '\n').join(''));
    else if (format && format !== 'table') process.stdout.write((await import('../template.js')).renderRows(format, rows, { Name: 'NAME', Service: 'SERVICE' }, table));
    else process.stdout.write(table([['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'], ...rows.map((r) => [r.Name, r.Image, r.Command, r.Service, r.RunningFor, r.Status, r.Ports])]));
    return 0;
  },
};

const logsSub: Sub = {
  name: 'logs', summary: 'View output from containers', usage: '[OPTIONS] [SERVICE...]',
  flags: [
    { name: 'follow', short: 'f', kind: 'bool', description: 'Follow log output' },
    { name: 'tail', short: 'n', kind: 'string', value: 'string', description: 'Number of lines to show from the end of the logs for each container (default "all")' },
    { name: 'timestamps', short: 't', kind: 'bool', description: 'Show timestamps' },
    { name: 'no-color', kind: 'bool', description: 'Produce monochrome output' },
    { name: 'no-log-prefix', kind: 'bool', description: "Don't print prefix in logs" },
    { name: 'index', kind: 'string', value: 'int', description: 'index of the container if service has multiple replicas' },
  ],
  async run(flags, operands, g) {
    const tail = flags.tail === undefined || flags.tail === 'all' ? Infinity : Number(flags.tail);
    if (Number.isNaN(tail) || tail < 0) throw new UsageError(`invalid --tail value ${q(String(flags.tail))}: a number of lines or "all"`);
    const project = await load(g);
    const { numberOf } = await engine();
    const pick = (list: ContainerRecord[]) => (flags.index === undefined ? list : list.filter((c) => numberOf(c) === Number(flags.index)));
    const initial = pick(await containersFor(project, operands, true));
    const { printLogs } = await import('../../compose/logs.js');
    const { containersOf } = await engine();
    await printLogs(() => (flags.follow ? pick(containersOf(project.name, { services: operands, oneoff: true })) : initial), {
      follow: !!flags.follow, tail, timestamps: !!flags.timestamps, prefix: !flags['no-log-prefix'], colour: !flags['no-color'] && !!process.stdout.isTTY,
    });
    return 0;
  },
};

/** The container of SERVICE that exec and port act on: --index N, or the first. */
async function oneContainer(project: Project, service: string, index: unknown, running = true): Promise<ContainerRecord> {
  const { numberOf } = await engine();
  const list = (await containersFor(project, [service])).filter((c) => !running || c.status === 'running' || c.status === 'paused');
  const n = index === undefined ? 1 : Number(index);
  const c = list.find((x) => numberOf(x) === n) ?? (index === undefined ? list[0] : undefined);
  if (!c) throw new CartonError(`service ${q(service)} is not running${index !== undefined ? ` with index ${n}` : ''}`, `start it: carton compose up -d ${service}`);
  return c;
}

const execSub: Sub = {
  name: 'exec', summary: 'Execute a command in a running container', usage: '[OPTIONS] SERVICE COMMAND [ARGS...]', stopAtOperand: true,
  flags: [
    { name: 'detach', short: 'd', kind: 'bool', description: 'Detached mode: Run command in the background' },
    { name: 'no-TTY', short: 'T', kind: 'bool', description: 'Disable pseudo-TTY allocation. By default a TTY is allocated when standard input is one' },
    { name: 'interactive', short: 'i', kind: 'bool', description: 'Keep STDIN open (the default; accepted for Docker Compose\'s habit)' },
    { name: 'tty', kind: 'bool', description: 'Allocate a pseudo-TTY (the default when standard input is a terminal)' },
    { name: 'env', short: 'e', kind: 'list', description: 'Set environment variables' },
    { name: 'user', short: 'u', kind: 'string', value: 'string', description: 'Run the command as this user' },
    { name: 'workdir', short: 'w', kind: 'string', value: 'dir', description: 'Path to workdir directory for this command' },
    { name: 'index', kind: 'string', value: 'int', description: 'Index of the container if service has multiple replicas' },
  ],
  async run(flags, operands, g) {
    if (operands.length < 2) throw Object.assign(new UsageError('compose exec requires at least 2 arguments: SERVICE COMMAND'), { exitCode: 1 });
    const project = await load(g);
    const c = await oneContainer(project, operands[0], flags.index);
    const tty = !flags.detach && !flags['no-TTY'] && !!process.stdin.isTTY;
    const argv = [...(flags.detach ? ['-d'] : ['-i']), ...(tty ? ['-t'] : [])];
    for (const e of (flags.env as string[] | undefined) ?? []) argv.push('-e', e);
    if (flags.user) argv.push('-u', flags.user as string);
    if (flags.workdir) argv.push('-w', flags.workdir as string);
    const { exec } = await import('./exec.js');
    const parsed = parseArgs('exec', [...argv, c.id, ...operands.slice(1)], exec.flags, true);
    return exec.run(parsed.flags, parsed.operands);
  },
};

const runSub: Sub = {
  name: 'run', summary: 'Run a one-off command on a service', usage: '[OPTIONS] SERVICE [COMMAND] [ARGS...]', stopAtOperand: true,
  flags: [
    { name: 'rm', kind: 'bool', description: 'Automatically remove the container when it exits' },
    { name: 'detach', short: 'd', kind: 'bool', description: 'Run container in background and print container ID' },
    { name: 'env', short: 'e', kind: 'list', description: 'Set environment variables' },
    { name: 'name', kind: 'string', value: 'string', description: 'Assign a name to the container' },
    { name: 'entrypoint', kind: 'string', value: 'string', description: 'Override the entrypoint of the image' },
    { name: 'user', short: 'u', kind: 'string', value: 'string', description: 'Run as specified username or uid' },
    { name: 'workdir', short: 'w', kind: 'string', value: 'dir', description: 'Working directory inside the container' },
    { name: 'no-TTY', short: 'T', kind: 'bool', description: 'Disable pseudo-TTY allocation (default: auto-detected)' },
    { name: 'interactive', short: 'i', kind: 'bool', description: 'Keep STDIN open (the default)' },
    { name: 'no-deps', kind: 'bool', description: "Don't start linked services" },
    { name: 'service-ports', short: 'P', kind: 'bool', description: "Run command with all service's ports enabled and mapped to the host" },
    { name: 'publish', short: 'p', kind: 'list', description: "Publish a container's port(s) to the host" },
    { name: 'build', kind: 'bool', description: 'Build image before starting container' },
  ],
  async run(flags, operands, g) {
    if (!operands.length) throw Object.assign(new UsageError('compose run requires at least 1 argument: SERVICE'), { exitCode: 1 });
    requireRoot('compose run');
    const project = await load(g);
    const m = await upModule();
    const e = await engine();
    const s = project.services[operands[0]] ?? project.disabled[operands[0]];
    if (!s) throw new CartonError(`no such service: ${operands[0]}`, `the services are: ${Object.keys(project.services).sort().join(', ')}`);
    // Its dependencies first (up -d of them), then the one-off container, attached.
    const deps = flags['no-deps'] ? [] : m.selectServices(project, [s.name]).filter((x) => x.name !== s.name);
    if (deps.length) await m.up(project, deps.map((d) => d.name), { ...upOptions({}), noRecreate: true });
    await e.ensureNetworks(project, [s]);
    await e.ensureVolumes(project, [s]);
    await m.buildImages(project, [s], !!flags.build);
    if (!flags['no-deps']) await m.waitForDependencies(project, s);
    const { randomBytes } = await import('node:crypto');
    const detach = !!flags.detach;
    const tty = !detach && !flags['no-TTY'] && !!process.stdin.isTTY;
    const record = await e.createServiceContainer(project, s, await e.serviceHash(project, s), {
      number: 1, oneoff: true, name: (flags.name as string | undefined) ?? `${project.name}-${s.name}-run-${randomBytes(6).toString('hex')}`,
      ...(operands.length > 1 ? { command: operands.slice(1) } : {}), ...(flags.entrypoint !== undefined ? { entrypoint: flags.entrypoint as string } : {}),
      env: (flags.env as string[] | undefined) ?? [], user: flags.user as string | undefined, workdir: flags.workdir as string | undefined,
      publishPorts: !!flags['service-ports'], tty, interactive: !detach, autoRemove: !!flags.rm,
      extraFlags: ((flags.publish as string[] | undefined) ?? []).flatMap((p) => ['-p', p]),
    });
    const containerEngine = await runtime();
    if (detach) {
      process.stdout.write((await containerEngine.runInBackground(record)) + '\n');
      return 0;
    }
    return containerEngine.runAttachedHere(record);
  },
};

/** start, stop, restart, kill, pause, unpause, rm: one action on each container of the services named. */
function each(name: string, summary: string, flags: FlagSpec[], act: (c: ContainerRecord, flags: Flags, project: Project) => Promise<void>, options: { reverse?: boolean; oneoff?: boolean } = {}): Sub {
  return {
    name, summary, usage: '[OPTIONS] [SERVICE...]', flags,
    async run(f, operands, g) {
      requireRoot(`compose ${name}`);
      const project = await load(g);
      await (await runtime()).recover();
      const { serviceOf } = await engine();
      const order = (await (await upModule()).ordered(Object.values({ ...project.disabled, ...project.services }))).map((s) => s.name);
      let list = await containersFor(project, operands, options.oneoff);
      list = [...list].sort((a, b) => order.indexOf(serviceOf(a)) - order.indexOf(serviceOf(b)));
      if (options.reverse) list.reverse();
      for (const c of list) await act(c, f, project);
      return 0;
    },
  };
}

const say = async (name: string, what: string) => (await engine()).say('Container', name, what);
const fresh = async (c: ContainerRecord) => (await runtime()).reload(c) ?? c;
const grace = (c: ContainerRecord, f: Flags, p: Project) => time(f) ?? p.services[c.labels?.['com.docker.compose.service'] ?? '']?.stopGracePeriod;

const startSub = each('start', 'Start services', [], async (c, _f, project) => {
  const r = await fresh(c);
  if (r.status === 'running' || r.status === 'restarting' || r.status === 'paused') return;
  const m = await upModule();
  const s = project.services[c.labels?.['com.docker.compose.service'] ?? ''];
  if (s) await m.waitForDependencies(project, s);
  await m.startOne(r);
});

const stopSub = each('stop', 'Stop services', [timeoutFlag], async (c, f, p) => {
  const r = await fresh(c);
  if (r.status !== 'running' && r.status !== 'paused' && r.status !== 'restarting') return;
  await say(c.name, 'Stopping');
  await (await runtime()).stop(r, grace(c, f, p) ?? r.stopTimeout ?? 10);
  await say(c.name, 'Stopped');
}, { reverse: true });

const restartSub = each('restart', 'Restart service containers', [timeoutFlag], async (c, f, p) => {
  const r = await fresh(c);
  await say(c.name, 'Restarting');
  await (await runtime()).restart(r, grace(c, f, p) ?? r.stopTimeout ?? 10);
  await say(c.name, 'Started');
});

const killSub = each('kill', 'Force stop service containers', [{ name: 'signal', short: 's', kind: 'string', value: 'string', description: 'SIGNAL to send to the container (default "SIGKILL")' }], async (c, f) => {
  const r = await fresh(c);
  if (r.status !== 'running' && r.status !== 'paused') return;
  await say(c.name, 'Killing');
  await (await runtime()).kill(r, (f.signal as string | undefined) ?? 'SIGKILL');
  await say(c.name, 'Killed');
});

const pauseSub = each('pause', 'Pause services', [], async (c) => {
  const { pause } = await import('./pause.js');
  await pause.run({}, [c.id]);
});
const unpauseSub = each('unpause', 'Unpause services', [], async (c) => {
  const { unpause } = await import('./pause.js');
  await unpause.run({}, [c.id]);
});

const rmSub: Sub = {
  name: 'rm', summary: 'Removes stopped service containers', usage: '[OPTIONS] [SERVICE...]',
  flags: [
    { name: 'force', short: 'f', kind: 'bool', description: "Don't ask to confirm removal" },
    { name: 'stop', short: 's', kind: 'bool', description: 'Stop the containers, if required, before removing' },
    { name: 'volumes', short: 'v', kind: 'bool', description: 'Remove any anonymous volumes attached to containers (carton has none)' },
  ],
  async run(flags, operands, g) {
    requireRoot('compose rm');
    const project = await load(g);
    const { removeOne } = await upModule();
    const all = await containersFor(project, operands, true);
    const running = all.filter((c) => c.status === 'running' || c.status === 'paused' || c.status === 'restarting');
    const doomed = flags.stop ? all : all.filter((c) => !running.includes(c));
    if (!doomed.length) {
      process.stderr.write('No stopped containers\n');
      return 0;
    }
    if (!flags.force) {
      const { confirm } = await import('../each.js');
      if (!(await confirm(`Going to remove ${doomed.map((c) => c.name).join(', ')}\n? Are you sure? [y/N] `))) return 0;
    }
    for (const c of doomed) await removeOne(c);
    return 0;
  },
};

const createSub: Sub = {
  name: 'create', summary: 'Creates containers for a service', usage: '[OPTIONS] [SERVICE...]',
  flags: upFlags.filter((f) => ['build', 'no-build', 'force-recreate', 'no-recreate', 'remove-orphans', 'scale'].includes(f.name)),
  async run(flags, operands, g) {
    requireRoot('compose create');
    const project = await load(g);
    await (await upModule()).up(project, operands, { ...upOptions(flags), noStart: true });
    return 0;
  },
};

const buildSub: Sub = {
  name: 'build', summary: 'Build or rebuild services', usage: '[OPTIONS] [SERVICE...]',
  flags: [
    { name: 'no-cache', kind: 'bool', description: 'Do not use cache when building the image' },
    { name: 'pull', kind: 'bool', description: 'Always attempt to pull a newer version of the image' },
    { name: 'quiet', short: 'q', kind: 'bool', description: "Don't print anything to STDOUT" },
  ],
  async run(flags, operands, g) {
    requireRoot('compose build');
    const project = await load(g);
    const m = await upModule();
    const services = m.selectServices(project, operands, true);
    if (operands.length && !services.some((s) => s.build)) throw new CartonError(`no service to build among ${operands.join(', ')}`, 'give the service a build: section');
    await m.buildImages(project, services, true, { noCache: !!flags['no-cache'], pull: !!flags.pull, quiet: !!flags.quiet });
    return 0;
  },
};

const pullSub: Sub = {
  name: 'pull', summary: 'Pull service images', usage: '[OPTIONS] [SERVICE...]',
  flags: [
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Pull without printing progress information' },
    { name: 'ignore-buildable', kind: 'bool', description: 'Ignore images that can be built' },
  ],
  async run(flags, operands, g) {
    const project = await load(g);
    const { selectServices } = await upModule();
    const { pull } = await import('./pull.js');
    for (const s of selectServices(project, operands, true)) {
      if (!s.image || (s.build && flags['ignore-buildable']) || s.pullPolicy === 'build') continue;
      const { isDefaultImage, imagesModule } = await import('../../runtime/images.js');
      if (isDefaultImage(await imagesModule(), s.image)) continue; // built here, no registry has it
      const status = await pull.run(flags.quiet ? { quiet: true } : {}, [s.image]);
      if (status !== 0) return status;
    }
    return 0;
  },
};

const pushSub: Sub = {
  name: 'push', summary: 'Push service images', usage: '[OPTIONS] [SERVICE...]', flags: [],
  async run(_flags, operands, g) {
    const project = await load(g);
    const { selectServices } = await upModule();
    const { push } = await import('./push.js');
    for (const s of selectServices(project, operands, true)) {
      if (!s.image || !s.build) continue; // Docker Compose pushes the images it builds
      const status = await push.run({}, [s.image]);
      if (status !== 0) return status;
    }
    return 0;
  },
};

const configSub: Sub = {
  name: 'config', summary: 'Parse, resolve and render compose file in canonical format', usage: '[OPTIONS] [SERVICE...]',
  flags: [
    { name: 'services', kind: 'bool', description: 'Print the service names, one per line' },
    { name: 'volumes', kind: 'bool', description: 'Print the volume names, one per line' },
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Only validate the configuration, don\'t print anything' },
    { name: 'format', kind: 'string', value: 'string', description: 'Format the output: yaml (default) or json' },
  ],
  async run(flags, operands, g) {
    const project = await load(g);
    if (flags.quiet) return 0;
    if (flags.services) {
      process.stdout.write((await (await upModule()).ordered(Object.values(project.services))).map((s) => s.name + '\n').join(''));
      return 0;
    }
    if (flags.volumes) {
      process.stdout.write(Object.keys(project.volumes).map((v) => v + '\n').join(''));
      return 0;
    }
    const format = (flags.format as string | undefined) ?? 'yaml';
    if (!['yaml', 'json'].includes(format)) throw new UsageError(`invalid --format ${q(format)}: use yaml or json`);
    const model = (await import('../../compose/render.js')).composeModel(project, operands);
    process.stdout.write(format === 'json' ? JSON.stringify(model, null, 2) + '\n' : (await import('yaml')).stringify(model, { lineWidth: 0 }));
    return 0;
  },
};

const topSub: Sub = {
  name: 'top', summary: 'Display the running processes', usage: '[SERVICES...]', flags: [],
  async run(_flags, operands, g) {
    const project = await load(g);
    const { top } = await import('./top.js');
    for (const c of (await containersFor(project, operands)).filter((x) => x.status === 'running')) {
      process.stdout.write(`${c.name}\n`);
      await top.run({}, [c.id]);
      process.stdout.write('\n');
    }
    return 0;
  },
};

const portSub: Sub = {
  name: 'port', summary: 'Print the public port for a port binding', usage: '[OPTIONS] SERVICE PRIVATE_PORT',
  flags: [
    { name: 'protocol', kind: 'string', value: 'string', description: 'tcp or udp (default "tcp")' },
    { name: 'index', kind: 'string', value: 'int', description: 'Index of the container if service has multiple replicas' },
  ],
  async run(flags, operands, g) {
    if (operands.length !== 2) throw Object.assign(new UsageError('compose port requires 2 arguments: SERVICE PRIVATE_PORT'), { exitCode: 1 });
    const project = await load(g);
    const c = await oneContainer(project, operands[0], flags.index);
    const { port } = await import('./port.js');
    return port.run({}, [c.id, `${operands[1]}/${(flags.protocol as string | undefined) ?? 'tcp'}`]);
  },
};

const imagesSub: Sub = {
  name: 'images', summary: 'List images used by the created containers', usage: '[OPTIONS] [SERVICE...]',
  flags: [{ name: 'quiet', short: 'q', kind: 'bool', description: 'Only display IDs' }],
  async run(flags, operands, g) {
    const project = await load(g);
    const list = await containersFor(project, operands, true);
    const { table } = await import('../format.js');
    const id = (c: ContainerRecord) => (c.imageId ?? '').replace(/^sha256:/, '').slice(0, 12);
    if (flags.quiet) process.stdout.write([...new Set(list.map(id))].map((x) => x + '\n').join(''));
    else {
      const split = (ref: string) => (/:[^/]+$/.test(ref) ? [ref.slice(0, ref.lastIndexOf(':')), ref.slice(ref.lastIndexOf(':') + 1)] : [ref, 'latest']);
      process.stdout.write(table([['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID'], ...list.map((c) => [c.name, ...split(c.image), id(c)])]));
    }
    return 0;
  },
};

const lsSub: Sub = {
  name: 'ls', summary: 'List running compose projects', usage: '[OPTIONS]',
  flags: [
    { name: 'all', short: 'a', kind: 'bool', description: 'Show all stopped Compose projects' },
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Only display project names' },
    { name: 'format', kind: 'string', value: 'string', description: 'Format the output: table (default) or json' },
  ],
  async run(flags) {
    const containerEngine = await runtime();
    await containerEngine.recover();
    const { LABEL } = await engine();
    const projects = new Map<string, { statuses: Map<string, number>; files: string }>();
    for (const c of containerEngine.list()) {
      const name = c.labels?.[LABEL.project];
      if (!name) continue;
      const p = projects.get(name) ?? { statuses: new Map(), files: c.labels?.[LABEL.configFiles] ?? '' };
      p.statuses.set(c.status, (p.statuses.get(c.status) ?? 0) + 1);
      projects.set(name, p);
    }
    const rows = [...projects.entries()].filter(([, p]) => flags.all || p.statuses.has('running')).sort(([a], [b]) => a.localeCompare(b))
      .map(([name, p]) => ({ Name: name, Status: [...p.statuses.entries()].map(([s, n]) => `${s}(${n})`).join(', '), ConfigFiles: p.files }));
    if (flags.quiet) process.stdout.write(rows.map((r) => r.Name + '\n').join(''));
    else if (flags.format === 'json') process.stdout.write(JSON.stringify(rows) + '\n');
    else process.stdout.write((await import('../format.js')).table([['NAME', 'STATUS', 'CONFIG FILES'], ...rows.map((r) => [r.Name, r.Status, r.ConfigFiles])]));
    return 0;
  },
};

const versionSub: Sub = {
  name: 'version', summary: 'Show the Docker Compose version information', usage: '[OPTIONS]',
  flags: [{ name: 'short', kind: 'bool', description: 'Shows only the version number' }],
  async run(flags) {
    process.stdout.write(flags.short ? '2.0.0-carton\n' : 'carton compose version 2.0.0-carton (the Compose Specification, on carton)\n');
    return 0;
  },
};

const SUBS: Sub[] = [up, down, psSub, logsSub, execSub, runSub, startSub, stopSub, restartSub, killSub, pauseSub, unpauseSub, rmSub, createSub, buildSub, pullSub, pushSub, configSub, topSub, portSub, imagesSub, lsSub, versionSub];

const GLOBAL: FlagSpec[] = [
  { name: 'file', short: 'f', kind: 'list', value: 'file', description: 'Compose configuration files (repeatable; later ones are merged over earlier)' },
  { name: 'project-name', short: 'p', kind: 'string', value: 'string', description: 'Project name' },
  { name: 'project-directory', kind: 'string', value: 'dir', description: 'Specify an alternate working directory (default: the path of the first Compose file)' },
  { name: 'profile', kind: 'list', value: 'string', description: 'Specify a profile to enable' },
  { name: 'env-file', kind: 'list', value: 'file', description: 'Specify an alternate environment file' },
  { name: 'ansi', kind: 'string', value: 'string', description: 'Control when to print ANSI control characters ("never"|"always"|"auto")' },
  { name: 'progress', kind: 'string', value: 'string', description: 'Set type of progress output (auto, tty, plain, quiet)' },
];

function usage(): string {
  const width = Math.max(...SUBS.map((s) => s.name.length)) + 3;
  const flagRows = GLOBAL.map((f) => [`${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.kind === 'bool' ? '' : ` ${f.value ?? 'string'}`}`, f.description]);
  const fw = Math.max(...flagRows.map((r) => r[0].length)) + 3;
  return [
    'Usage:  carton compose [OPTIONS] COMMAND', '', 'Define and run multi-container applications with carton (the Compose Specification).', '',
    'Options:', ...flagRows.map(([l, r]) => `  ${l.padEnd(fw)}${r}`), '',
    'Commands:', ...SUBS.map((s) => `  ${s.name.padEnd(width)}${s.summary}`), '',
    "Run 'carton compose COMMAND --help' for more information on a command.", '',
  ].join('\n');
}

/** `carton compose ARGS…`: global options, then one sub-command. */
export async function composeMain(args: string[]): Promise<number> {
  let at = 0;
  const globals: string[] = [];
  while (at < args.length && args[at].startsWith('-') && args[at] !== '--help' && args[at] !== '-h') {
    const arg = args[at];
    const spec = GLOBAL.find((f) => arg === `--${f.name}` || arg === `-${f.short}` || arg.startsWith(`--${f.name}=`));
    if (!spec) return fail(new UsageError(`unknown flag: ${arg}`, "See 'carton compose --help'."));
    globals.push(arg);
    if (!arg.includes('=')) globals.push(args[++at] ?? '');
    at++;
  }
  const name = args[at];
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const sub = name === 'help' ? SUBS.find((s) => s.name === args[at + 1]) : undefined;
    process.stdout.write(sub ? helpText(asCommand(sub)) : usage());
    return name === undefined ? 1 : 0;
  }
  const sub = SUBS.find((s) => s.name === name);
  if (!sub) return fail(Object.assign(new UsageError(`unknown docker command: "compose ${name}"`, "See 'carton compose --help'."), { exitCode: 1 }));
  const rest = args.slice(at + 1);
  try {
    if (rest[0] === '--help' || (!sub.stopAtOperand && rest.includes('--help'))) {
      process.stdout.write(helpText(asCommand(sub)));
      return 0;
    }
    const g = parseArgs('compose', globals, GLOBAL).flags;
    const ansi = g.ansi as string | undefined;
    if (ansi !== undefined && !['never', 'always', 'auto'].includes(ansi)) throw new UsageError(`invalid --ansi ${q(ansi)}: use never, always or auto`);
    const { flags, operands } = parseArgs(`compose ${sub.name}`, rest, sub.flags, sub.stopAtOperand);
    if (ansi === 'never') flags['no-color'] = true;
    return await sub.run(flags, operands, {
      files: (g.file as string[] | undefined) ?? [], projectName: g['project-name'] as string | undefined, projectDirectory: g['project-directory'] as string | undefined,
      profiles: ((g.profile as string[] | undefined) ?? []).flatMap((p) => p.split(',')), envFiles: (g['env-file'] as string[] | undefined) ?? [],
    });
  } catch (error) {
    return fail(error);
  }
}

const asCommand = (sub: Sub): Command => ({ ...sub, name: `compose ${sub.name}`, run: async () => 0 });

/** Docker Compose's statuses: 1 for what fails (a bad file, a failed start), 125 never (that is docker run's). */
async function fail(error: unknown): Promise<number> {
  process.stderr.write(await renderError(error));
  const code = (error as { exitCode?: number }).exitCode;
  return typeof code === 'number' ? code : 1;
}
