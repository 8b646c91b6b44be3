// carton run: create and start a container in the foreground.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import type { Flags } from '../args.js';
import type { ContainerRecord, MountSpec } from '../../runtime/state.js';
import { chapter } from '../../impl.js';
import { requireOperands, UsageError } from '../args.js';
import { requireRoot } from '../privileges.js';
import { imageSpec, type ImageSpec } from '../image-spec.js';
import { healthConfig, type HealthConfig } from '../../runtime/health.js';
import { anonymousMount } from '../../runtime/volumes.js';
import { parseLogConfig } from '../../runtime/logs.js';
import * as engine from '../../runtime/engine.js';
import { detachKeys } from './attach.js';
import { RUN_FLAGS } from './run-flags.js';
import { chapterLevel, featuresAt } from '../../runtime/level.js';
import { CartonError, q } from '../../sys/index.js';
import { parseUser } from '../../runtime/user.js';
import { envList, labelsOf, setEnv } from '../env.js';
import { signalNumber } from '../../runtime/signals.js';

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A new container's environment: defaults, then the image's, then --env-file, then -e. */
export function environment(flags: Flags, imageEnv: string[] = []): string[] {
  const env = new Map<string, string>([['PATH', DEFAULT_PATH.slice(5)], ['HOME', '/root']]);
  const add = (entry: string, source: string) => setEnv(env, entry, source);
  for (const entry of imageEnv) add(entry, 'the image');
  for (const file of (flags['env-file'] as string[] | undefined) ?? []) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new CartonError(`read env file ${q(file)}: ${(error as NodeJS.ErrnoException).code}`);
    }
    for (const line of text.split('\n')) {
      const trimmed = line.trim();
      if (trimmed && !trimmed.startsWith('#')) add(trimmed, file);
    }
  }
  for (const entry of (flags.env as string[] | undefined) ?? []) add(entry, '--env');
  return envList(env);
}

export function parseRestart(value: string | undefined): { policy: 'no' | 'on-failure' | 'always'; maxRetries: number } {
  if (value === undefined || value === 'no') return { policy: 'no', maxRetries: 0 };
  if (value === 'always' || value === 'unless-stopped') return { policy: 'always', maxRetries: 0 };
  const match = /^on-failure(?::(\d+))?$/.exec(value);
  if (match) return { policy: 'on-failure', maxRetries: Number(match[1] ?? 0) };
  throw new UsageError(`invalid restart policy ${q(value)}`, 'use no, on-failure[:max-retries] or always');
}

/** --add-host, --dns*, --stop-signal, --stop-timeout, checked before anything is created. */
function etcAndStop(flags: Flags): Pick<ContainerRecord, 'extraHosts' | 'dns' | 'stopSignal' | 'stopTimeout'> {
  const list = (name: string) => (flags[name] as string[] | undefined) ?? [];
  const extraHosts = list('add-host').map((spec) => {
    const m = /^([^:=\s]+)[:=](\S+)$/.exec(spec);
    if (!m || !/^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+|host-gateway)$/i.test(m[2])) throw new UsageError(`invalid argument ${q(spec)} for --add-host: expected HOST:IP`);
    if (m[2] === 'host-gateway') throw new UsageError('--add-host HOST:host-gateway is not supported by carton yet', 'give the address');
    return `${m[2]}\t${m[1]}`;
  });
  for (const server of list('dns')) if (!/^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+)$/i.test(server)) throw new UsageError(`invalid argument ${q(server)} for --dns: expected an IP address`);
  const dns = list('dns').length || list('dns-search').length || list('dns-option').length ? { servers: list('dns'), search: list('dns-search'), options: list('dns-option') } : undefined;
  const stopSignal = flags['stop-signal'] as string | undefined;
  if (stopSignal) {
    try {
      signalNumber(stopSignal);
    } catch {
      throw new UsageError(`invalid signal ${q(stopSignal)} for --stop-signal`);
    }
  }
  const stopTimeout = flags['stop-timeout'] === undefined ? undefined : Number(flags['stop-timeout']);
  if (stopTimeout !== undefined && (!Number.isInteger(stopTimeout) || stopTimeout < 0)) throw new UsageError(`invalid --stop-timeout ${q(String(flags['stop-timeout']))}: a number of seconds`);
  return {
    ...(extraHosts.length ? { extraHosts } : {}), ...(dns ? { dns } : {}),
    ...(stopSignal ? { stopSignal: stopSignal.toUpperCase().startsWith('SIG') ? stopSignal.toUpperCase() : /^\d+$/.test(stopSignal) ? stopSignal : `SIG${stopSignal.toUpperCase()}` } : {}),
    ...(stopTimeout !== undefined ? { stopTimeout } : {}),
  };
}

/** Everything `run` and `create` share: validate the flags, resolve the image, store the record. */
/** -v and --tmpfs, parsed by chapter 05's code (the learner's, with CARTON_IMPL=exercises). */
async function mountsFromFlags(flags: Flags): Promise<MountSpec[]> {
  const volumes = (flags.volume as string[] | undefined) ?? [];
  const tmpfs = (flags.tmpfs as string[] | undefined) ?? [];
  if (volumes.length === 0 && tmpfs.length === 0 && !flags.mount && !flags['volumes-from']) return [];
  const overlayfs = await chapter.overlayfs();
  const mounts: MountSpec[] = volumes.map((spec) => {
    if (/^\/[^:]*$/.test(spec)) return anonymousMount(spec); // -v /data: an anonymous volume, as Docker's
    // nocopy, alone or beside ro/rw (name:/path:ro,nocopy): the volume is not filled from the image.
    const modes = spec.split(':').length === 3 ? spec.slice(spec.lastIndexOf(':') + 1).split(',') : [];
    const noCopy = modes.includes('nocopy');
    const rest = modes.filter((m) => m !== 'nocopy');
    const v = overlayfs.parseVolumeSpec(noCopy ? `${spec.slice(0, spec.lastIndexOf(':'))}${rest.length ? `:${rest.join(',')}` : ''}` : spec);
    return { kind: v.kind, source: v.kind === 'bind' ? resolve(v.source) : v.source, target: v.target, readOnly: v.readOnly, ...(noCopy && v.kind === 'volume' ? { noCopy } : {}) };
  });
  for (const spec of tmpfs) {
    const t = overlayfs.parseTmpfsSpec(spec);
    mounts.push({ kind: 'tmpfs', source: '', target: t.target, readOnly: false, options: t.options });
  }
  for (const spec of (flags.mount as string[] | undefined) ?? []) mounts.push(parseMount(spec));
  // --volumes-from CTR[:ro|rw]: the other container's volumes and binds (not its tmpfs), at the same targets.
  for (const spec of (flags['volumes-from'] as string[] | undefined) ?? []) {
    const [ref, mode] = spec.split(':');
    if (mode !== undefined && mode !== 'ro' && mode !== 'rw') throw new UsageError(`invalid --volumes-from ${q(spec)}: the mode is ro or rw`);
    const { findContainer } = await import('../../runtime/state.js');
    for (const m of findContainer(ref).mounts) {
      if (m.kind === 'tmpfs' || mounts.some((x) => x.target === m.target)) continue;
      mounts.push({ kind: m.kind, source: m.source, target: m.target, readOnly: mode === undefined ? m.readOnly : mode === 'ro' });
    }
  }
  return mounts;
}

/**
 * Docker's --mount: type=bind|volume|tmpfs,source=…,target=…[,readonly][,tmpfs-size=…][,tmpfs-mode=…]
 * (src, dst and destination as Docker spells them too). Unlike -v, a bind's source must exist.
 */
export function parseMount(spec: string): MountSpec {
  const fields = new Map<string, string>();
  for (const part of spec.split(',')) {
    const at = part.indexOf('=');
    const key = (at < 0 ? part : part.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? 'true' : part.slice(at + 1);
    const name = ({ src: 'source', dst: 'target', destination: 'target', ro: 'readonly' } as Record<string, string>)[key] ?? key;
    if (!['type', 'source', 'target', 'readonly', 'tmpfs-size', 'tmpfs-mode', 'volume-nocopy', 'bind-propagation', 'consistency'].includes(name)) {
      throw new UsageError(`invalid field ${q(key)} in --mount ${q(spec)}`, 'the fields are type, source (src), target (dst), readonly (ro), tmpfs-size, tmpfs-mode');
    }
    fields.set(name, value);
  }
  const type = fields.get('type') ?? 'volume';
  const target = fields.get('target');
  if (!target || !target.startsWith('/')) throw new UsageError(`--mount ${q(spec)}: target must be an absolute path`, 'e.g. --mount type=volume,source=data,target=/data');
  const ro = fields.get('readonly');
  if (ro !== undefined && !['true', 'false', '1', '0'].includes(ro)) throw new UsageError(`--mount ${q(spec)}: readonly takes true or false`);
  const readOnly = ro === 'true' || ro === '1';
  const source = fields.get('source');
  if (type === 'tmpfs') {
    if (source) throw new UsageError(`--mount ${q(spec)}: a tmpfs has no source`);
    const size = fields.get('tmpfs-size');
    const mode = fields.get('tmpfs-mode');
    const options = [size ? `size=${size}` : '', mode ? `mode=${mode}` : ''].filter(Boolean).join(',');
    return { kind: 'tmpfs', source: '', target, readOnly, ...(options ? { options } : {}) };
  }
  if (type === 'bind') {
    if (!source) throw new UsageError(`--mount ${q(spec)}: a bind mount needs a source`);
    const path = resolve(source);
    if (!existsSync(path)) throw new UsageError(`invalid mount config for type "bind": bind source path does not exist: ${path}`, 'create it first (-v creates a missing directory, --mount does not, as in Docker)');
    return { kind: 'bind', source: path, target, readOnly };
  }
  if (type !== 'volume') throw new UsageError(`--mount ${q(spec)}: unknown type ${q(type)}`, 'use bind, volume or tmpfs');
  const nocopy = fields.get('volume-nocopy');
  if (nocopy !== undefined && !['true', 'false', '1', '0'].includes(nocopy)) throw new UsageError(`--mount ${q(spec)}: volume-nocopy takes true or false`);
  const noCopy = nocopy === 'true' || nocopy === '1' ? { noCopy: true } : {};
  if (!source) return { ...anonymousMount(target), readOnly, ...noCopy };
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(source)) throw new UsageError(`--mount ${q(spec)}: invalid volume name ${q(source)}`);
  return { kind: 'volume', source, target, readOnly, ...noCopy };
}

/** The CPUs this machine has online (/sys/devices/system/cpu/online: "0-3,6"). */
function onlineCpus(): { text: string; set: Set<number> } {
  const text = readFileSync('/sys/devices/system/cpu/online', 'utf8').trim();
  return { text, set: cpuList(text) ?? new Set() };
}

/** A cpuset list ("0-2,4") as numbers, or undefined if it is not one. */
function cpuList(text: string): Set<number> | undefined {
  const set = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return undefined;
    for (let n = Number(m[1]); n <= Number(m[2] ?? m[1]); n++) set.add(n);
  }
  return set;
}

/** Docker's checks of --cpus and --cpuset-cpus against the machine, before anything is created. */
function checkCpus(cpus: string | undefined, cpuset: string | undefined): void {
  const online = onlineCpus();
  if (cpus !== undefined && Number(cpus) > online.set.size) {
    throw new UsageError(`range of CPUs is from 0.01 to ${online.set.size.toFixed(2)}, as there are only ${online.set.size} CPUs available`, `give --cpus ${online.set.size} or less`);
  }
  if (cpuset !== undefined) {
    const wanted = cpuList(cpuset);
    if (wanted && [...wanted].some((n) => !online.set.has(n))) throw new UsageError(`requested CPUs are not available - requested ${cpuset}, available: ${online.text}`);
  }
}

/** Chapter 04's limits and chapter 06's network and ports, checked before anything is created. */
async function resourcesFromFlags(flags: Flags): Promise<Pick<ContainerRecord, 'limits' | 'network' | 'publish' | 'publishAll' | 'expose' | 'ipAddress'>> {
  const str = (name: string) => flags[name] as string | undefined;
  const limits = (await chapter.cgroups()).parseLimits({
    memory: str('memory'), memorySwap: str('memory-swap'), cpus: str('cpus'), cpuShares: str('cpu-shares'), pidsLimit: str('pids-limit'), cpusetCpus: str('cpuset-cpus'),
  });
  checkCpus(str('cpus'), str('cpuset-cpus'));
  const networking = await chapter.networking();
  const { findNetwork, nftTable } = await import('../../runtime/networks.js');
  const network = str('network') ?? 'bridge';
  const chosen = ['bridge', 'host', 'none'].includes(network) ? undefined : findNetwork(networking, network); // "network app not found"
  const ip = str('ip');
  if (ip !== undefined && !chosen) throw new UsageError('user specified IP address is supported on user defined networks only', 'create one with carton network create NAME, and run with --network NAME');
  if (ip !== undefined) networking.checkAddress(ip, chosen!);
  const publish = (flags.publish as string[] | undefined) ?? [];
  const publishAll = !!flags['publish-all'];
  if ((publish.length || publishAll) && chosen?.internal) throw new UsageError(`network ${network} is internal: nothing reaches it from outside, so no port can be published on it`, 'publish the port from a container on another network, or create the network without --internal');
  if ((publish.length || publishAll) && ['host', 'none'].includes(network)) throw new UsageError(`published ports need a bridge network, not ${q(network)}`);
  const expose = ((flags.expose as string[] | undefined) ?? []).flatMap((spec) => networking.parseExpose(spec));
  // Bad specs and host ports already taken fail here, before anything exists (and again,
  // race-free, when the container is connected).
  const ports = publish.flatMap((spec) => networking.parsePublish(spec));
  const fixed = ports.filter((p) => p.hostPort);
  if (fixed.length && process.getuid?.() === 0) {
    const taken = networking.publishedPorts(nftTable()); // an nft call: only when there are ports to check
    for (const p of fixed) await networking.hostPortFor(p, taken);
  }
  return { limits: limits as ContainerRecord['limits'], network, publish, ...(publishAll ? { publishAll } : {}), ...(expose.length ? { expose } : {}), ...(ip ? { ipAddress: ip } : {}) };
}

/** --health-* on top of the image's HEALTHCHECK; --no-healthcheck for none. */
function healthFromFlags(flags: Flags, image: ImageSpec['healthcheck'], test: string[] | undefined): HealthConfig | undefined {
  const str = (name: string) => flags[name] as string | undefined;
  return healthConfig({
    test, cmd: str('health-cmd'), interval: str('health-interval'), timeout: str('health-timeout'), startPeriod: str('health-start-period'),
    startInterval: str('health-start-interval'), retries: str('health-retries'), none: !!flags['no-healthcheck'],
  }, image);
}

/** Chapter 09: checked now (unknown capabilities, a bad profile file), applied at start. */
async function securityFromFlags(flags: Flags, level: number): Promise<ContainerRecord['security']> {
  const list = (name: string) => (flags[name] as string[] | undefined) ?? [];
  const asked = list('cap-add').length || list('cap-drop').length || list('security-opt').length || flags.privileged;
  if (!featuresAt(level).security) {
    if (asked) throw new UsageError(`--cap-add, --cap-drop, --privileged and --security-opt need chapter 09 (CARTON_CHAPTER is ${level})`);
    return undefined;
  }
  const security = await chapter.security();
  return security.securitySpec(list('cap-add'), list('cap-drop'), !!flags.privileged, list('security-opt'));
}

/** --userns=private (chapter 09): checked against the flags it cannot go with, as Docker does. */
async function usernsFromFlags(flags: Flags, level: number, network: string | undefined): Promise<ContainerRecord['userns']> {
  const mode = flags.userns as string | undefined;
  if (mode === undefined || mode === '' || mode === 'host') return undefined;
  if (!featuresAt(level).security) throw new UsageError(`--userns needs chapter 09 (CARTON_CHAPTER is ${level})`);
  if (mode === 'private' && flags.privileged) throw new UsageError('privileged mode is incompatible with user namespaces: --privileged needs --userns=host');
  if (mode === 'private' && network === 'host') throw new UsageError('--network host is incompatible with user namespaces: it needs --userns=host', 'sysfs and the host\'s interfaces belong to the host\'s user namespace');
  if (mode === 'private' && flags.rootfs) throw new UsageError('--rootfs is incompatible with --userns=private: the layers of an image are idmapped, a directory is not');
  const { userNamespaceFor } = await import('../../runtime/userns.js');
  try {
    return userNamespaceFor(mode);
  } catch (error) {
    throw new UsageError((error as Error).message, (error as { hint?: string }).hint);
  }
}

/** What a program (Compose) gives beyond the flags: a health test as a list, the networks to join after the first. */
export interface CreateExtras {
  healthTest?: string[];
  networks?: ContainerRecord['networks'];
  /** Anonymous volumes to take over (target → volume name): Compose's recreate keeps a container's data. */
  anonymousVolumes?: Record<string, string>;
}

export async function createFromFlags(verb: string, flags: Flags, operands: string[], extras: CreateExtras = {}): Promise<ContainerRecord> {
  const mounts = await mountsFromFlags(flags);
  const resources = await resourcesFromFlags(flags);
  if (!flags.rootfs) requireOperands(verb, operands, 1, 'IMAGE');
  const level = chapterLevel(); // a bad CARTON_CHAPTER is reported before anything is created
  const tty = !!flags.tty;
  const detached = !!flags.detach || verb === 'create';
  // run -t on a terminal: its monitor holds the container, and this process attaches to it
  // (Docker's run is create, attach, start), so Ctrl-P Ctrl-Q can leave it running.
  const monitored = verb === 'run' && tty && !detached && !!process.stdin.isTTY;
  if (tty && !process.stdin.isTTY && flags.interactive && verb === 'run' && !detached) throw new CartonError('the input device is not a TTY', 'drop -t, or run carton from a terminal');
  requireRoot(verb);
  const image = await imageSpec(flags, operands, level);
  // Docker: `run IMG ''` is no command at all, 127 as a command not found.
  if (image.argv[0] === '') throw Object.assign(new CartonError('exec: "": executable file not found in $PATH', 'give the command to run after the image'), { exitCode: 127 });
  const env = environment(flags, image.env);
  if (tty) env.push('TERM=' + (process.env.TERM || 'xterm'));
  const workdir = (flags.workdir as string | undefined) ?? image.cwd;
  if (!workdir.startsWith('/')) throw new UsageError(`the working directory ${q(workdir)} is invalid: it needs to be an absolute path`);
  const restart = parseRestart(flags.restart as string | undefined);
  if (restart.policy !== 'no' && flags.rm) throw new UsageError('conflicting options: --restart and --rm');
  if (restart.policy !== 'no' && !detached) throw new UsageError('--restart applies to detached containers: add -d');
  const security = await securityFromFlags(flags, level);
  const userns = await usernsFromFlags(flags, level, resources.network);
  const healthcheck = healthFromFlags(flags, image.healthcheck, extras.healthTest);
  const log = parseLogConfig(flags['log-driver'] as string | undefined, (flags['log-opt'] as string[] | undefined) ?? []);
  const networkAliases = (flags['network-alias'] as string[] | undefined) ?? [];
  if (networkAliases.length && ['bridge', 'host', 'none'].includes(resources.network ?? 'bridge')) {
    throw new UsageError('network-scoped aliases are supported only for containers on user-defined networks', 'create one with carton network create NAME, and run with --network NAME');
  }
  const labelFlags = (flags.label as string[] | undefined) ?? [];
  const labels = Object.keys(image.labels).length || labelFlags.length
    ? { ...image.labels, ...labelsOf(labelFlags) }
    : undefined;
  // The image's VOLUMEs: an anonymous volume at each, unless -v or --tmpfs mounts something there.
  for (const target of image.volumes) if (!mounts.some((m) => m.target === target)) mounts.push(anonymousMount(target));
  for (const m of mounts) if (m.anonymous && extras.anonymousVolumes?.[m.target]) m.source = extras.anonymousVolumes[m.target];
  await engine.recover(); // crash recovery first: it may free the name we want
  const record = engine.create({
    level,
    ...(security ? { security } : {}),
    ...(userns ? { userns } : {}),
    image: image.image, imageId: image.imageId, exposedPorts: image.exposedPorts.length ? image.exposedPorts : undefined, rootfs: image.rootfs, layers: image.layers, mounts, readOnly: !!flags['read-only'], ...resources, argv: image.argv, env, cwd: workdir,
    name: flags.name as string | undefined,
    // With --network host the container shares the host's network, and Docker gives it the host's name too.
    hostname: (flags.hostname as string | undefined) ?? (resources.network === 'host' ? hostname() : undefined),
    user: (flags.user ?? image.user) ? parseUser((flags.user ?? image.user) as string, image.layers) : undefined,
    interactive: !!flags.interactive || (tty && !detached),
    tty, init: !!flags.init, autoRemove: !!flags.rm, detached: detached || monitored, restart,
    ...(labels ? { labels } : {}),
    ...(healthcheck ? { healthcheck } : {}),
    ...(log ? { log } : {}),
    ...(networkAliases.length ? { networkAliases } : {}),
    ...(extras.networks?.length ? { networks: extras.networks } : {}),
    ...etcAndStop(flags),
  });
  if (flags['spec-out'] !== undefined) await writeSpec(record, flags['spec-out'] as string);
  return record;
}

/**
 * --spec-out FILE: the container's OCI runtime spec, the config.json Docker would hand runc,
 * written before it starts (mode 0600: it holds the environment). A file that cannot be
 * written leaves no container behind.
 */
async function writeSpec(record: ContainerRecord, file: string): Promise<void> {
  try {
    const { spec } = await engine.spec(record);
    try {
      writeFileSync(file, JSON.stringify(spec, null, 2) + '\n', { mode: 0o600 });
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      throw new UsageError(`--spec-out ${q(file)}: ${e.code} (${e.message.replace(/^[A-Z]+: /, '').replace(/, .*$/, '')})`, 'give a file in a directory that exists and can be written');
    }
  } catch (error) {
    await engine.remove(record, { force: true, volumes: true });
    throw error;
  }
}

export const run: Command = {
  name: 'run',
  summary: 'Create and run a new container from an image',
  usage: '[OPTIONS] IMAGE|--rootfs DIR [COMMAND] [ARG...]',
  stopAtOperand: true,
  flags: RUN_FLAGS,
  details: `Examples:
  carton run --rm carton/busybox echo hello
  carton run --rm --rootfs ./myroot /bin/sh -c 'ls /'

Exit status: the command's own status; 125 when carton itself fails, 126 when the command
cannot be executed, 127 when it is not found, 128+N when it is killed by signal N.`,
  async run(flags, operands) {
    const keys = detachKeys((flags['detach-keys'] as string | undefined) ?? 'ctrl-p,ctrl-q');
    // (A foreground run's stage was started ahead by main.ts, before this module loaded: run-ahead.ts.)
    const record = await createFromFlags('run', flags, operands);
    const detached = !!flags.detach;
    if (!detached && record.detached) return engine.runOnThisTerminal(record, keys);
    if (!detached) return engine.runAttachedHere(record);
    process.stdout.write((await engine.runInBackground(record)) + '\n');
    return 0;
  },
};
