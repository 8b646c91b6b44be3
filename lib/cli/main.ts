// carton's command line: find the verb, parse its flags, run it, print errors one way.
// Verbs are loaded on demand, so a command pays only for the modules it uses.
import { renderError } from './render.js';
import { parseArgs, UsageError } from './args.js';
import { helpText, manualText, type Command } from './command.js';

export const verbs: Record<string, { summary: string; load: () => Promise<Command> }> = {
  run: { summary: 'Create and run a new container from an image', load: async () => (await import('./commands/run.js')).run },
  create: { summary: 'Create a new container, without starting it', load: async () => (await import('./commands/create.js')).create },
  start: { summary: 'Start one or more stopped containers', load: async () => (await import('./commands/start.js')).start },
  restart: { summary: 'Restart one or more containers', load: async () => (await import('./commands/restart.js')).restart },
  top: { summary: 'Display the running processes of a container', load: async () => (await import('./commands/top.js')).top },
  attach: { summary: 'Attach local standard input, output, and error streams to a running container', load: async () => (await import('./commands/attach.js')).attach },
  exec: { summary: 'Execute a command in a running container', load: async () => (await import('./commands/exec.js')).exec },
  ps: { summary: 'List containers', load: async () => (await import('./commands/ps.js')).ps },
  logs: { summary: 'Fetch the logs of a container', load: async () => (await import('./commands/logs.js')).logs },
  stop: { summary: 'Stop one or more running containers', load: async () => (await import('./commands/stop.js')).stop },
  kill: { summary: 'Kill one or more running containers', load: async () => (await import('./commands/kill.js')).kill },
  rm: { summary: 'Remove one or more containers', load: async () => (await import('./commands/rm.js')).rm },
  wait: { summary: 'Block until containers stop, then print their exit codes', load: async () => (await import('./commands/wait.js')).wait },
  inspect: { summary: 'Return low-level information on containers', load: async () => (await import('./commands/inspect.js')).inspect },
  update: { summary: 'Update configuration of one or more containers', load: async () => (await import('./commands/update.js')).update },
  rename: { summary: 'Rename a container', load: async () => (await import('./commands/rename.js')).rename },
  'container prune': { summary: 'Remove all stopped containers', load: async () => (await import('./commands/prune.js')).containerPrune },
  'system prune': { summary: 'Remove stopped containers, unused networks, dangling images, crash leftovers', load: async () => (await import('./commands/prune.js')).systemPrune },
  stats: { summary: 'Display a live stream of container resource usage statistics', load: async () => (await import('./commands/stats.js')).stats },
  pause: { summary: 'Pause all processes within one or more containers', load: async () => (await import('./commands/pause.js')).pause },
  unpause: { summary: 'Unpause all processes within one or more containers', load: async () => (await import('./commands/pause.js')).unpause },
  port: { summary: 'List port mappings for the container', load: async () => (await import('./commands/port.js')).port },
  cp: { summary: 'Copy files/folders between a container and the local filesystem', load: async () => (await import('./commands/cp.js')).cp },
  diff: { summary: 'Inspect changes to files on a container\'s filesystem', load: async () => (await import('./commands/diff.js')).diff },
  'volume create': { summary: 'Create a volume', load: async () => (await import('./commands/volume.js')).volumeCreate },
  'volume ls': { summary: 'List volumes', load: async () => (await import('./commands/volume.js')).volumeLs },
  'volume inspect': { summary: 'Display detailed information on volumes', load: async () => (await import('./commands/volume.js')).volumeInspect },
  'volume rm': { summary: 'Remove one or more volumes', load: async () => (await import('./commands/volume.js')).volumeRm },
  'volume prune': { summary: 'Remove unused local volumes', load: async () => (await import('./commands/volume.js')).volumePrune },
  'network create': { summary: 'Create a network', load: async () => (await import('./commands/network.js')).networkCreate },
  'network ls': { summary: 'List networks', load: async () => (await import('./commands/network.js')).networkLs },
  'network inspect': { summary: 'Display detailed information on one or more networks', load: async () => (await import('./commands/network.js')).networkInspect },
  'network rm': { summary: 'Remove one or more networks', load: async () => (await import('./commands/network.js')).networkRm },
  'network prune': { summary: 'Remove all unused networks', load: async () => (await import('./commands/network.js')).networkPrune },
  'network connect': { summary: 'Connect a container to a network', load: async () => (await import('./commands/network.js')).networkConnect },
  'network disconnect': { summary: 'Disconnect a container from a network', load: async () => (await import('./commands/network.js')).networkDisconnect },
  pull: { summary: 'Download an image from a registry', load: async () => (await import('./commands/pull.js')).pull },
  push: { summary: 'Upload an image to a registry', load: async () => (await import('./commands/push.js')).push },
  build: { summary: 'Build an image from a Dockerfile', load: async () => (await import('./commands/build.js')).build },
  images: { summary: 'List images', load: async () => (await import('./commands/images.js')).images },
  tag: { summary: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', load: async () => (await import('./commands/images.js')).tag },
  rmi: { summary: 'Remove one or more images', load: async () => (await import('./commands/images.js')).rmi },
  history: { summary: 'Show the history of an image', load: async () => (await import('./commands/images.js')).history },
  'image inspect': { summary: 'Display detailed information on one or more images', load: async () => (await import('./commands/images.js')).imageInspect },
  'builder prune': { summary: 'Remove the build cache', load: async () => (await import('./commands/images.js')).builderPrune },
  'image prune': { summary: 'Remove unused images', load: async () => (await import('./commands/images.js')).imagePrune },
  save: { summary: 'Save one or more images to a tar archive', load: async () => (await import('./commands/archive.js')).save },
  load: { summary: 'Load images from a tar archive or STDIN', load: async () => (await import('./commands/archive.js')).load },
  import: { summary: 'Import the contents from a tarball to create a filesystem image', load: async () => (await import('./commands/archive.js')).importImage },
  export: { summary: "Export a container's filesystem as a tar archive", load: async () => (await import('./commands/archive.js')).exportContainer },
  commit: { summary: "Create a new image from a container's changes", load: async () => (await import('./commands/archive.js')).commit },
  login: { summary: 'Log in to a registry', load: async () => (await import('./commands/login.js')).login },
  logout: { summary: 'Log out from a registry', load: async () => (await import('./commands/login.js')).logout },
  'system check': { summary: 'Check carton\'s state against the host, and repair it', load: async () => (await import('./commands/check.js')).systemCheck },
  'system df': { summary: 'Show carton disk usage', load: async () => (await import('./commands/df.js')).systemDf },
  doctor: { summary: 'Check that this machine can run containers, and say what to install if not', load: async () => (await import('./commands/doctor.js')).doctor },
  events: { summary: 'Get real time events from carton', load: async () => (await import('./commands/events.js')).events },
  'system events': { summary: 'Get real time events from carton', load: async () => (await import('./commands/events.js')).systemEvents },
  info: { summary: 'Display system-wide information', load: async () => (await import('./commands/info.js')).info },
  'system info': { summary: 'Display system-wide information', load: async () => (await import('./commands/info.js')).systemInfoCommand },
  version: { summary: 'Show the carton version and which implementation it runs', load: async () => (await import('./commands/version.js')).version },
};

// `carton container ls` is `carton ps`, `carton container rm` is `carton rm`, ...
const containerAliases: Record<string, string> = { ls: 'ps', list: 'ps', ps: 'ps', prune: 'container prune' }; // others: same name

// `carton image ls` is `carton images`, `carton image rm` is `carton rmi`, ...
const imageAliases: Record<string, string> = {
  ls: 'images', list: 'images', rm: 'rmi', remove: 'rmi', build: 'build', pull: 'pull', push: 'push', tag: 'tag', history: 'history', save: 'save', load: 'load', import: 'import',
};

/** Join management-command words: ['system', 'prune', '-f'] → ['system prune', '-f']. */
function verbOf(argv: string[]): string[] {
  const [first, second, ...rest] = argv;
  if (first === 'container' && second !== undefined && !second.startsWith('-')) return [containerAliases[second] ?? second, ...rest];
  if (first === 'system' && (second === 'prune' || second === 'df' || second === 'info' || second === 'events' || second === 'check')) return [`system ${second}`, ...rest];
  if (first === 'builder' && second === 'prune') return ['builder prune', ...rest];
  if (first === 'image' && second !== undefined && !second.startsWith('-')) return [imageAliases[second] ?? `image ${second}`, ...rest];
  if (first === 'volume' && second !== undefined) return [`volume ${second === 'list' ? 'ls' : second === 'remove' ? 'rm' : second}`, ...rest];
  if (first === 'network' && second !== undefined) return [`network ${second === 'list' ? 'ls' : second === 'remove' ? 'rm' : second}`, ...rest];
  return argv;
}

function usage(): string {
  const width = Math.max(...Object.keys(verbs).map((name) => name.length)) + 3;
  return [
    'Usage:  carton [OPTIONS] COMMAND',
    '',
    'A daemonless container runtime, built chapter by chapter in "Containers from Scratch".',
    '',
    'Commands:',
    ...Object.entries(verbs).map(([name, v]) => `  ${name.padEnd(width)}${v.summary}`),
    `  ${'compose'.padEnd(width)}Define and run multi-container applications from a compose.yaml (carton compose --help)`,
    `  ${'oci'.padEnd(width)}The OCI runtime, with runc's command line: create, start, state, kill, delete … (carton oci --help)`,
    '',
    "Run 'carton COMMAND --help' for more information on a command.",
    '',
  ].join('\n');
}

// Exit statuses as Docker's: 125 for a bad flag, and for what fails in run, create and exec
// before the container's command runs; 1 for everything else that fails (no such container,
// a conflict, a failed pull, an unknown command, missing arguments); the command's own status
// otherwise.
const CONTAINER_STARTING = ['run', 'create', 'exec'];

async function fail(error: unknown, verb?: string): Promise<number> {
  process.stderr.write(await renderError(error));
  const code = (error as { exitCode?: number }).exitCode;
  if (typeof code === 'number') return code;
  if (error instanceof UsageError || verb === undefined || CONTAINER_STARTING.includes(verb)) return 125;
  return 1;
}

// `carton volume` alone (as `docker volume`): what the management command has.
const MANAGEMENT: Record<string, string> = {
  container: 'Manage containers', image: 'Manage images', volume: 'Manage volumes', network: 'Manage networks', system: 'Manage carton', builder: 'Manage builds',
};

function managementUsage(group: string): string {
  const own = Object.entries(verbs).filter(([name]) => name.startsWith(`${group} `)).map(([name, v]) => [name.slice(group.length + 1), v.summary] as const);
  const aliases = group === 'container' ? Object.entries(containerAliases).map(([alias, verb]) => [alias, verbs[verb]?.summary ?? ''] as const)
    : group === 'image' ? Object.entries(imageAliases).map(([alias, verb]) => [alias, verbs[verb]?.summary ?? ''] as const) : [];
  const container = group === 'container' ? ['attach', 'run', 'create', 'start', 'restart', 'stop', 'kill', 'rm', 'exec', 'logs', 'inspect', 'top', 'wait', 'rename', 'pause', 'unpause', 'port', 'diff', 'stats', 'cp', 'export', 'commit', 'update'].map((v) => [v, verbs[v]?.summary ?? ''] as const) : [];
  const rows = [...new Map([...own, ...aliases, ...container].map(([n, d]) => [n, d])).entries()].sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(...rows.map(([n]) => n.length)) + 3;
  return [`Usage:  carton ${group} COMMAND`, '', MANAGEMENT[group], '', 'Commands:', ...rows.map(([n, d]) => `  ${n.padEnd(width)}${d}`), '', `Run 'carton ${group} COMMAND --help' for more information on a command.`, ''].join('\n');
}

export async function main(args: string[]): Promise<number> {
  if (args[0] in MANAGEMENT && (args.length === 1 || args[1] === '--help' || args[1] === '-h')) {
    process.stdout.write(managementUsage(args[0]));
    return 0;
  }
  const [verb, ...rest] = verbOf(args[0] === 'help' ? [args[0], ...verbOf(args.slice(1))] : args);
  if (verb === undefined || verb === '--help' || verb === '-h' || (verb === 'help' && rest.length === 0)) {
    process.stdout.write(usage());
    return verb === undefined ? 1 : 0;
  }
  // The OCI runtime has runc's command line (global options before its command): its own parser.
  if (verb === 'oci') return (await import('./oci.js')).ociMain(rest);
  if (verb === 'help' && rest[0] === 'oci') return (await import('./oci.js')).ociMain(['--help', ...rest.slice(1)]);
  // Compose has global options before its sub-command, as Docker Compose's: its own parser too.
  if (verb === 'compose') return (await import('./commands/compose.js')).composeMain(rest);
  if (verb === 'help' && rest[0] === 'compose') return (await import('./commands/compose.js')).composeMain(['help', ...rest.slice(1)]);
  const name = verb === 'help' ? rest[0] : verb === '--version' || verb === '-v' ? 'version' : verb;
  const entry = verbs[name];
  if (!entry) return fail(Object.assign(new UsageError(`'${name}' is not a carton command`, "See 'carton --help'."), { exitCode: 1 }));
  try {
    if (name === 'run' && verb === name) await (await import('./run-ahead.js')).bootForRun(rest);
    const command = await entry.load();
    if (verb === 'help') {
      process.stdout.write(manualText(command));
      return 0;
    }
    if (rest[0] === '--help' || (!command.stopAtOperand && rest.includes('--help'))) {
      process.stdout.write(helpText(command));
      return 0;
    }
    const { flags, operands } = parseArgs(command.name, verb === name ? rest : [], command.flags, command.stopAtOperand);
    if (flags.help) {
      process.stdout.write(helpText(command));
      return 0;
    }
    return await command.run(flags, operands);
  } catch (error) {
    return fail(error, name);
  }
}
