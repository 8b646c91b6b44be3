// Compose on the runtime: a Project becomes networks, volumes, images and containers, each
// labelled as Docker Compose labels them (com.docker.compose.*), so that `ps`, `down` and the
// next `up` find them again without any state of Compose's own. Each container is made the
// way `carton create` makes one, from a command line: Compose here is a translator from
// YAML to carton's flags, and every check of those flags applies.
import { chapter } from '../impl.js';
import { CartonError, q } from '../sys/index.js';
import { parseArgs } from '../cli/args.js';
import { create } from '../cli/commands/create.js';
import { createFromFlags } from '../cli/commands/run.js';
import { bridgeNetwork, registry } from '../runtime/networks.js';
import { listContainers, loadContainer, type ContainerRecord } from '../runtime/state.js';
import type { Project, Service } from './model.js';

export const LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  hash: 'com.docker.compose.config-hash',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  image: 'com.docker.compose.image',
  version: 'com.docker.compose.version',
};

/** What Compose says of each object, as Docker Compose's plain progress: " Container app-web-1  Started". */
export function say(kind: 'Container' | 'Network' | 'Volume' | 'Image', name: string, what: string): void {
  process.stderr.write(` ${kind} ${name}  ${what}\n`);
}

/** The project's containers (every service's, one-off runs only with `oneoff`), oldest first. */
export function containersOf(project: string, options: { services?: string[]; oneoff?: boolean } = {}): ContainerRecord[] {
  return listContainers()
    .filter((c) => c.labels?.[LABEL.project] === project)
    .filter((c) => options.oneoff || c.labels?.[LABEL.oneoff] !== 'True')
    .filter((c) => !options.services?.length || options.services.includes(c.labels?.[LABEL.service] ?? ''))
    .sort((a, b) => (serviceOf(a).localeCompare(serviceOf(b))) || numberOf(a) - numberOf(b) || a.created.localeCompare(b.created));
}

export const serviceOf = (c: ContainerRecord): string => c.labels?.[LABEL.service] ?? '';
export const numberOf = (c: ContainerRecord): number => Number(c.labels?.[LABEL.number] ?? 0);

/** The image a service runs: its image:, or for a build without one, PROJECT-SERVICE (Docker Compose v2's name). */
export const imageOf = (project: Project, s: Service): string => s.image ?? `${project.name}-${s.name}`;

/** The container's name: container_name, or PROJECT-SERVICE-N. */
export const containerName = (project: Project, s: Service, n: number): string => s.containerName ?? `${project.name}-${s.name}-${n}`;

/** The hash of what a service's containers are made from: its configuration and image (not its scale). */
export async function serviceHash(project: Project, s: Service): Promise<string> {
  const { replicas: _replicas, ...config } = s;
  void _replicas;
  const networks = Object.fromEntries(Object.keys(s.networks).map((k) => [k, project.networks[k]]));
  const volumes = Object.fromEntries(s.volumes.filter((m) => m.type === 'volume' && m.source).map((m) => [m.source, project.volumes[m.source]]));
  return (await chapter.compose()).configHash({ config, networks, volumes });
}

/** The networks the services use: created (labelled) when missing; external ones must exist. */
export async function ensureNetworks(project: Project, services: Service[]): Promise<void> {
  const networking = await chapter.networking();
  const used = new Set(services.flatMap((s) => Object.keys(s.networks)));
  for (const key of [...used].sort()) {
    const def = project.networks[key];
    const found = registry(networking).get(def.name);
    if (found) continue;
    if (def.external) throw new CartonError(`network ${def.name} declared as external, but could not be found`, `create it first: carton network create ${def.name}`);
    say('Network', def.name, 'Creating');
    bridgeNetwork(networking); // the default network keeps the first subnet, as carton network create does
    registry(networking).create(def.name, { subnet: def.subnet, gateway: def.gateway, internal: def.internal, labels: { ...def.labels, [LABEL.project]: project.name, [LABEL.network]: key } });
    say('Network', def.name, 'Created');
  }
}

/** carton's named volumes (chapter 05's store). */
export async function projectVolumes() {
  const [{ Volumes }, { cartonRoot }] = await Promise.all([chapter.overlayfs(), import('../runtime/paths.js')]);
  return new Volumes(cartonRoot());
}

/** The named volumes the services mount: created (labelled) when missing; external ones must exist. */
export async function ensureVolumes(project: Project, services: Service[]): Promise<void> {
  const volumes = await projectVolumes();
  const have = new Set(volumes.list().map((v) => v.name));
  const used = new Set(services.flatMap((s) => s.volumes.filter((m) => m.type === 'volume' && m.source).map((m) => m.source)));
  for (const key of [...used].sort()) {
    const def = project.volumes[key];
    if (have.has(def.name)) continue;
    if (def.external) throw new CartonError(`volume ${q(def.name)} declared as external, but could not be found`, `create it first: carton volume create ${def.name}`);
    say('Volume', def.name, 'Creating');
    volumes.create(def.name, { labels: { ...def.labels, [LABEL.project]: project.name, [LABEL.volume]: key } });
    say('Volume', def.name, 'Created');
  }
}

export interface CreateOptions {
  number: number;
  name?: string;
  oneoff?: boolean;
  /** Recreate: the old container's anonymous volumes (target → name), which the new one takes over. */
  anonymousVolumes?: Record<string, string>;
  /** compose run: the command, entrypoint, environment and flags it adds. */
  command?: string[];
  entrypoint?: string;
  env?: string[];
  user?: string;
  workdir?: string;
  publishPorts?: boolean;
  tty?: boolean;
  interactive?: boolean;
  autoRemove?: boolean;
  extraFlags?: string[];
}

/** carton create's command line for one container of a service. */
export function createArgv(project: Project, s: Service, hash: string, o: CreateOptions): { argv: string[]; healthTest?: string[]; networks: Array<{ name: string; aliases: string[] }> } {
  const a: string[] = ['--name', o.name ?? containerName(project, s, o.number)];
  const labels: Record<string, string> = {
    ...s.labels, [LABEL.project]: project.name, [LABEL.service]: s.name, [LABEL.number]: String(o.number), [LABEL.oneoff]: o.oneoff ? 'True' : 'False',
    [LABEL.hash]: hash, [LABEL.workingDir]: project.workingDir, [LABEL.configFiles]: project.configFiles.join(','), [LABEL.version]: 'carton',
  };
  for (const [k, v] of Object.entries(labels)) a.push('--label', `${k}=${v}`);
  const keys = Object.keys(s.networks).sort();
  const networks = keys.slice(1).map((k) => ({ name: project.networks[k].name, aliases: [s.name, ...s.networks[k].aliases] }));
  if (s.networkMode) a.push('--network', s.networkMode);
  else if (keys.length) {
    a.push('--network', project.networks[keys[0]].name);
    for (const alias of [...new Set([s.name, ...s.networks[keys[0]].aliases])]) a.push('--network-alias', alias);
  } else a.push('--network', 'none');
  for (const [k, v] of Object.entries(s.environment)) a.push('-e', `${k}=${v}`);
  for (const e of o.env ?? []) a.push('-e', e);
  if (o.publishPorts ?? true) for (const p of s.ports) a.push('-p', p);
  for (const p of s.expose) a.push('--expose', p);
  for (const m of s.volumes) {
    if (m.type === 'tmpfs') a.push('--tmpfs', `${m.target}${m.options ? `:${m.options}` : ''}`);
    else if (m.type === 'volume' && !m.source) a.push('-v', m.target); // anonymous
    else a.push('-v', `${m.type === 'volume' ? project.volumes[m.source].name : m.source}:${m.target}${m.readOnly ? ':ro' : ''}`);
  }
  for (const t of s.tmpfs) a.push('--tmpfs', t);
  const pairs: Array<[string, string | number | undefined]> = [
    ['--restart', o.oneoff ? undefined : s.restart], ['-u', o.user ?? s.user], ['-w', o.workdir ?? s.workingDir], ['--hostname', s.hostname],
    ['--stop-signal', s.stopSignal], ['--stop-timeout', s.stopGracePeriod], ['-m', s.memLimit], ['--memory-swap', s.memswapLimit], ['--cpus', s.cpus],
    ['--cpu-shares', s.cpuShares], ['--cpuset-cpus', s.cpuset], ['--pids-limit', s.pidsLimit],
  ];
  for (const [flag, value] of pairs) if (value !== undefined) a.push(flag, String(value));
  for (const c of s.capAdd) a.push('--cap-add', c);
  for (const c of s.capDrop) a.push('--cap-drop', c);
  for (const x of s.securityOpt) a.push('--security-opt', x);
  for (const h of s.extraHosts) a.push('--add-host', h);
  for (const d of s.dns) a.push('--dns', d);
  for (const d of s.dnsSearch) a.push('--dns-search', d);
  for (const d of s.dnsOpt) a.push('--dns-option', d);
  if (s.init) a.push('--init');
  if (s.readOnly) a.push('--read-only');
  if (s.privileged) a.push('--privileged');
  if (o.interactive ?? s.stdinOpen) a.push('-i');
  if (o.tty ?? s.tty) a.push('-t');
  if (o.autoRemove) a.push('--rm');
  const h = s.healthcheck;
  let healthTest: string[] | undefined;
  if (h?.disable) a.push('--no-healthcheck');
  else if (h) {
    healthTest = h.test;
    const times: Array<[string, string | number | undefined]> = [['--health-interval', h.interval], ['--health-timeout', h.timeout], ['--health-start-period', h.startPeriod], ['--health-start-interval', h.startInterval], ['--health-retries', h.retries]];
    for (const [flag, value] of times) if (value !== undefined) a.push(flag, String(value));
  }
  // Built images are here already; others as pull_policy says (missing, as Docker's default).
  a.push('--pull', s.build ? 'never' : s.pullPolicy === 'always' ? 'always' : s.pullPolicy === 'never' ? 'never' : 'missing');
  if (s.platform) a.push('--platform', s.platform);
  a.push(...(o.extraFlags ?? []));
  const entrypoint = o.entrypoint !== undefined ? [o.entrypoint] : s.entrypoint;
  if (entrypoint !== undefined) a.push('--entrypoint', entrypoint[0] ?? '');
  a.push(imageOf(project, s), ...(entrypoint?.slice(1) ?? []), ...(o.command ?? s.command ?? []));
  return { argv: a, ...(healthTest ? { healthTest } : {}), networks };
}

/** Create one container of a service, through carton create's own checks. */
export async function createServiceContainer(project: Project, s: Service, hash: string, o: CreateOptions): Promise<ContainerRecord> {
  const { argv, healthTest, networks } = createArgv(project, s, hash, o);
  const { flags, operands } = parseArgs('create', argv, create.flags, true);
  return createFromFlags('create', flags, operands, { healthTest, networks, anonymousVolumes: o.anonymousVolumes });
}

/** Wait until `ok` says yes of a fresh record, or it says why not (an error); polls every 100 ms. */
export async function waitFor(id: string, check: (c: ContainerRecord | undefined) => 'ok' | 'wait' | string, timeoutMs = Infinity): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const verdict = check(loadContainer(id));
    if (verdict === 'ok') return;
    if (verdict !== 'wait') throw new CartonError(verdict);
    if (Date.now() > deadline) throw new CartonError(`timed out waiting for ${loadContainer(id)?.name ?? id.slice(0, 12)}`, 'raise --wait-timeout, or see carton compose logs');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A dependency's condition, for the container `c` of the service depended on. */
export function conditionMet(condition: Service['dependsOn'][string]['condition'], c: ContainerRecord | undefined, service: string): 'ok' | 'wait' | string {
  if (!c) return `dependency failed to start: a container of service ${service} was removed`;
  if (condition === 'service_started') return c.status === 'created' ? 'wait' : 'ok';
  if (condition === 'service_completed_successfully') {
    if (c.status !== 'exited') return 'wait';
    return c.exitCode === 0 ? 'ok' : `service ${q(service)} didn't complete successfully: exit ${c.exitCode}`;
  }
  if (!c.healthcheck) return `dependency failed to start: container ${c.name} has no healthcheck configured`;
  if (c.status === 'exited') return `dependency failed to start: container ${c.name} exited (${c.exitCode})`;
  if (c.health?.status === 'unhealthy') return `dependency failed to start: container ${c.name} is unhealthy`;
  return c.health?.status === 'healthy' ? 'ok' : 'wait';
}
