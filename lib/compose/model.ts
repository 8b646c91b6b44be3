// A compose file's meaning, checked: the YAML (already parsed and interpolated) becomes a
// Project whose every field has one shape (Compose allows lists or maps, strings or lists,
// numbers or strings for most keys). Anything the specification does not define is refused
// with the path of the key (services.web.ports[1]: …), and keys carton cannot honour yet
// are refused as such rather than ignored: a file must never start something other than it
// says.
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { CartonError } from '../sys/index.js';

export interface Mount {
  type: 'volume' | 'bind' | 'tmpfs';
  /** A host path (bind), a volume's key in the file's volumes: (volume; '' for an anonymous one), '' (tmpfs). */
  source: string;
  target: string;
  readOnly: boolean;
  /** tmpfs: size=…,mode=… */
  options?: string;
}

export interface Dependency {
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  required: boolean;
  restart: boolean;
}

export interface Healthcheck {
  test?: string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  startPeriod?: string;
  startInterval?: string;
  disable: boolean;
}

export interface Service {
  name: string;
  image?: string;
  build?: { context: string; dockerfile: string; args: Record<string, string>; target?: string; labels: Record<string, string>; network?: string };
  pullPolicy?: 'always' | 'missing' | 'never' | 'build';
  platform?: string;
  command?: string[];
  entrypoint?: string[];
  /** environment: on top of env_file:, values from the file or (KEY alone) the shell. */
  environment: Record<string, string>;
  ports: string[];
  expose: string[];
  volumes: Mount[];
  /** The project networks (keys of Project.networks) the service joins, with its aliases. */
  networks: Record<string, { aliases: string[] }>;
  networkMode?: 'bridge' | 'host' | 'none';
  dependsOn: Record<string, Dependency>;
  healthcheck?: Healthcheck;
  restart?: string;
  user?: string;
  workingDir?: string;
  hostname?: string;
  labels: Record<string, string>;
  init: boolean;
  stopSignal?: string;
  /** Seconds. */
  stopGracePeriod?: number;
  memLimit?: string;
  memswapLimit?: string;
  cpus?: string;
  cpuShares?: string;
  cpuset?: string;
  pidsLimit?: number;
  replicas: number;
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  tmpfs: string[];
  readOnly: boolean;
  extraHosts: string[];
  dns: string[];
  dnsSearch: string[];
  dnsOpt: string[];
  profiles: string[];
  containerName?: string;
  privileged: boolean;
  stdinOpen: boolean;
  tty: boolean;
}

export interface NetworkDef {
  /** The network's name on the host: PROJECT_KEY, or its name:. */
  name: string;
  external: boolean;
  labels: Record<string, string>;
  subnet?: string;
  gateway?: string;
  internal: boolean;
}

export interface VolumeDef {
  name: string;
  external: boolean;
  labels: Record<string, string>;
}

export interface Project {
  name: string;
  workingDir: string;
  configFiles: string[];
  /** The services the active profiles enable, by name. */
  services: Record<string, Service>;
  /** Services that only a profile not given enables: known, so `run` can name them, but not started. */
  disabled: Record<string, Service>;
  networks: Record<string, NetworkDef>;
  volumes: Record<string, VolumeDef>;
}

type Raw = Record<string, unknown>;

/** An error at a key: "services.web.ports[1]: port 70000 is out of range". */
export class ComposeError extends CartonError {}

const SERVICE_KEYS = new Set([
  'image', 'build', 'command', 'entrypoint', 'environment', 'env_file', 'ports', 'expose', 'volumes', 'networks', 'network_mode', 'depends_on',
  'healthcheck', 'restart', 'user', 'working_dir', 'hostname', 'labels', 'init', 'stop_signal', 'stop_grace_period', 'mem_limit', 'memswap_limit',
  'cpus', 'cpu_shares', 'cpuset', 'pids_limit', 'deploy', 'scale', 'cap_add', 'cap_drop', 'security_opt', 'tmpfs', 'read_only', 'extra_hosts',
  'dns', 'dns_search', 'dns_opt', 'profiles', 'container_name', 'privileged', 'stdin_open', 'tty', 'pull_policy', 'platform',
]);
// Defined by the Compose Specification, but not (yet) something carton can do: refused by name.
const UNSUPPORTED = new Set([
  'configs', 'secrets', 'logging', 'ulimits', 'sysctls', 'devices', 'links', 'external_links', 'ipc', 'pid', 'userns_mode', 'cgroup', 'cgroup_parent',
  'shm_size', 'mac_address', 'volumes_from', 'extends', 'develop', 'annotations', 'blkio_config', 'cpu_count', 'cpu_percent', 'cpu_period', 'cpu_quota',
  'cpu_rt_runtime', 'cpu_rt_period', 'mem_reservation', 'mem_swappiness', 'oom_kill_disable', 'oom_score_adj', 'group_add', 'isolation', 'runtime',
  'storage_opt', 'uts', 'credential_spec', 'device_cgroup_rules', 'gpus', 'post_start', 'pre_stop', 'label_file', 'domainname', 'attach', 'models',
  'provider', 'use_api_socket', 'env_from', 'driver_opts',
]);
const TOP_KEYS = new Set(['version', 'name', 'services', 'networks', 'volumes', 'include', 'configs', 'secrets', 'models']);

function fail(path: string, message: string, hint?: string): never {
  throw new ComposeError(`${path}: ${message}`, hint);
}

const isMap = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);
const extension = (key: string) => key.startsWith('x-');

function checkKeys(value: Raw, path: string, allowed: Set<string>, unsupported = new Set<string>()): void {
  for (const key of Object.keys(value)) {
    if (allowed.has(key) || extension(key)) continue;
    if (unsupported.has(key)) fail(`${path}.${key}`, 'is not supported by carton yet', 'remove it, or run this service with Docker Compose');
    fail(path, `additional property ${key} is not allowed`, 'see the Compose Specification for the keys a service may have');
  }
}

function str(v: unknown, path: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  fail(path, `must be a string, not ${describe(v)}`);
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;
}

function bool(v: unknown, path: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  fail(path, `must be a boolean (true or false), not ${describe(v)}`);
}

function int(v: unknown, path: string, min = 0): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n)) fail(path, `must be a whole number, not ${describe(v)}`);
  if (n < min) fail(path, `must be ${min} or more, not ${n}`);
  return n;
}

function strings(v: unknown, path: string): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) fail(path, `must be a list of strings, not ${describe(v)}`);
  return v.map((x, i) => str(x, `${path}[${i}]`));
}

/** A list of KEY=VALUE (or KEY) or a mapping, as a mapping; null for KEY alone. */
function listOrMap(v: unknown, path: string, separator = '='): Record<string, string | null> {
  if (v === undefined || v === null) return {};
  if (Array.isArray(v)) {
    return Object.fromEntries(v.map((x, i) => {
      const entry = str(x, `${path}[${i}]`);
      const at = entry.indexOf(separator);
      if (at === 0 || entry === '') fail(`${path}[${i}]`, `${JSON.stringify(entry)} has no name`);
      return at < 0 ? [entry, null] : [entry.slice(0, at), entry.slice(at + 1)];
    }));
  }
  if (!isMap(v)) fail(path, `must be a list or a mapping, not ${describe(v)}`);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === null ? null : str(x, `${path}.${k}`)]));
}

/** Words of a command given as one string, split as a POSIX shell would (quotes, backslashes), without running one. */
export function splitWords(text: string, path: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) fail(path, 'has an unclosed single quote');
      word += text.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && '"\\$`'.includes(text[j + 1] ?? '')) j++;
        word += text[j];
      }
      if (j >= text.length) fail(path, 'has an unclosed double quote');
      i = j;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function command(v: unknown, path: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (v === null) return [];
  return typeof v === 'string' ? splitWords(v, path) : strings(v, path);
}

function hostPath(p: string, dir: string): string {
  if (p === '~' || p.startsWith('~/')) return resolve(homedir(), p.slice(2));
  return isAbsolute(p) ? p : resolve(dir, p);
}

/** A published port, short ("8080:80/tcp", 80) or long ({target, published, host_ip, protocol}), as a -p spec. */
function port(v: unknown, path: string): string {
  const checkNumber = (text: string, what: string) => {
    for (const part of text.split('-')) {
      const n = Number(part);
      if (!/^\d+$/.test(part) || n < 1 || n > 65535) fail(path, `${what} ${JSON.stringify(text)} is not a port number from 1 to 65535`);
    }
  };
  if (isMap(v)) {
    checkKeys(v, path, new Set(['target', 'published', 'host_ip', 'protocol', 'mode', 'name', 'app_protocol']));
    if (v.target === undefined) fail(path, 'target is required');
    const target = str(v.target, `${path}.target`);
    checkNumber(target, 'target');
    const published = v.published === undefined ? '' : str(v.published, `${path}.published`);
    if (published) checkNumber(published, 'published');
    const protocol = v.protocol === undefined ? 'tcp' : str(v.protocol, `${path}.protocol`);
    if (!['tcp', 'udp'].includes(protocol)) fail(`${path}.protocol`, `must be tcp or udp, not ${JSON.stringify(protocol)}`);
    const ip = v.host_ip === undefined ? '' : str(v.host_ip, `${path}.host_ip`);
    return `${ip ? `${ip}:` : ''}${published || ip ? `${published}:` : ''}${target}/${protocol}`;
  }
  const spec = str(v, path);
  const m = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(?:(\d*(?:-\d+)?):)?(\d+(?:-\d+)?)(?:\/(tcp|udp))?$/.exec(spec);
  if (!m) fail(path, `invalid port ${JSON.stringify(spec)}`, 'expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], e.g. "8080:80"');
  if (m[2]) checkNumber(m[2], 'published port');
  checkNumber(m[3], 'container port');
  return spec.includes('/') ? spec : `${spec}/tcp`;
}

function mount(v: unknown, path: string, dir: string, volumes: Raw | undefined): Mount {
  if (isMap(v)) {
    checkKeys(v, path, new Set(['type', 'source', 'target', 'read_only', 'bind', 'volume', 'tmpfs', 'consistency']));
    const type = str(v.type, `${path}.type`) as Mount['type'];
    if (!['volume', 'bind', 'tmpfs'].includes(type)) fail(`${path}.type`, `must be volume, bind or tmpfs (carton has no ${JSON.stringify(type)} mounts)`);
    const target = str(v.target, `${path}.target`);
    if (!target.startsWith('/')) fail(`${path}.target`, `${JSON.stringify(target)} must be an absolute path`);
    const readOnly = v.read_only === undefined ? false : bool(v.read_only, `${path}.read_only`);
    if (type === 'tmpfs') {
      const t = v.tmpfs === undefined ? {} : v.tmpfs;
      if (!isMap(t)) fail(`${path}.tmpfs`, 'must be a mapping');
      checkKeys(t, `${path}.tmpfs`, new Set(['size', 'mode']));
      const options = [t.size !== undefined ? `size=${str(t.size, `${path}.tmpfs.size`)}` : '', t.mode !== undefined ? `mode=${typeof t.mode === 'number' ? t.mode.toString(8) : str(t.mode, `${path}.tmpfs.mode`)}` : ''].filter(Boolean).join(',');
      return { type, source: '', target, readOnly, ...(options ? { options } : {}) };
    }
    if (v.source === undefined && type === 'volume') return { type, source: '', target, readOnly }; // anonymous
    if (v.source === undefined) fail(path, 'source is required');
    const source = str(v.source, `${path}.source`);
    if (type === 'bind') return { type, source: hostPath(source, dir), target, readOnly };
    if (!volumes || !(source in volumes)) fail(`${path}.source`, `service refers to undefined volume ${source}`, 'declare it under the top-level volumes:');
    return { type, source, target, readOnly };
  }
  const spec = str(v, path);
  const parts = spec.split(':');
  if (parts.length === 1) {
    if (!spec.startsWith('/')) fail(path, `the target ${JSON.stringify(spec)} must be an absolute path`);
    return { type: 'volume', source: '', target: spec, readOnly: false }; // an anonymous volume
  }
  if (parts.length > 3) fail(path, `invalid volume ${JSON.stringify(spec)}`, 'expected SOURCE:TARGET[:ro|rw]');
  const [source, target, mode = 'rw'] = parts;
  if (!target.startsWith('/')) fail(path, `the target ${JSON.stringify(target)} must be an absolute path`);
  const flags = mode.split(',');
  for (const f of flags) if (!['ro', 'rw', 'z', 'Z', 'cached', 'delegated', 'consistent', 'nocopy'].includes(f)) fail(path, `unknown volume option ${JSON.stringify(f)}`, 'use ro or rw');
  const readOnly = flags.includes('ro');
  if (/^[./~]/.test(source)) return { type: 'bind', source: hostPath(source, dir), target, readOnly };
  if (!volumes || !(source in volumes)) fail(path, `service refers to undefined volume ${source}`, 'declare it under the top-level volumes:, or write ./' + source + ' for a directory');
  return { type: 'volume', source, target, readOnly };
}

function healthcheck(v: unknown, path: string): Healthcheck | undefined {
  if (v === undefined) return undefined;
  if (!isMap(v)) fail(path, 'must be a mapping');
  checkKeys(v, path, new Set(['test', 'interval', 'timeout', 'retries', 'start_period', 'start_interval', 'disable']));
  const disable = v.disable === undefined ? false : bool(v.disable, `${path}.disable`);
  let test: string[] | undefined;
  if (typeof v.test === 'string') test = ['CMD-SHELL', v.test];
  else if (v.test !== undefined) {
    test = strings(v.test, `${path}.test`);
    if (!['CMD', 'CMD-SHELL', 'NONE'].includes(test[0])) fail(`${path}.test`, `must start with CMD, CMD-SHELL or NONE, not ${JSON.stringify(test[0])}`);
  }
  const time = (key: string) => (v[key] === undefined ? undefined : str(v[key], `${path}.${key}`));
  return {
    ...(test ? { test } : {}), interval: time('interval'), timeout: time('timeout'), startPeriod: time('start_period'), startInterval: time('start_interval'),
    retries: v.retries === undefined ? undefined : int(v.retries, `${path}.retries`, 1), disable: disable || test?.[0] === 'NONE',
  };
}

function dependsOn(v: unknown, path: string): Record<string, Dependency> {
  if (v === undefined || v === null) return {};
  if (Array.isArray(v)) return Object.fromEntries(strings(v, path).map((s) => [s, { condition: 'service_started' as const, required: true, restart: false }]));
  if (!isMap(v)) fail(path, 'must be a list of services or a mapping');
  return Object.fromEntries(Object.entries(v).map(([name, d]) => {
    const at = `${path}.${name}`;
    if (d === null) return [name, { condition: 'service_started', required: true, restart: false }];
    if (!isMap(d)) fail(at, 'must be a mapping with condition:');
    checkKeys(d, at, new Set(['condition', 'required', 'restart']));
    const condition = d.condition === undefined ? 'service_started' : str(d.condition, `${at}.condition`);
    if (!['service_started', 'service_healthy', 'service_completed_successfully'].includes(condition)) {
      fail(`${at}.condition`, `must be service_started, service_healthy or service_completed_successfully, not ${JSON.stringify(condition)}`);
    }
    return [name, { condition: condition as Dependency['condition'], required: d.required === undefined ? true : bool(d.required, `${at}.required`), restart: d.restart === undefined ? false : bool(d.restart, `${at}.restart`) }];
  }));
}

function bytes(v: unknown, path: string): string {
  const s = str(v, path);
  if (!/^\d+(\.\d+)?\s*([bkmg]b?)?$/i.test(s)) fail(path, `invalid size ${JSON.stringify(s)}`, 'e.g. 64m, 1g, or a number of bytes');
  return s.replace(/\s+/g, '').replace(/b$/i, '') || s;
}

function seconds(v: unknown, path: string): number {
  const s = str(v, path);
  const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+)ms)?$/.exec(s);
  if (!m || s === '') fail(path, `invalid duration ${JSON.stringify(s)}`, 'e.g. 10s, 1m30s');
  return Math.ceil((Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) + Number(m[4] ?? 0) / 1000);
}

function deploy(v: unknown, path: string): { replicas?: number; memory?: string; cpus?: string; pids?: number } {
  if (v === undefined || v === null) return {};
  if (!isMap(v)) fail(path, 'must be a mapping');
  checkKeys(v, path, new Set(['replicas', 'resources', 'mode', 'restart_policy']), new Set(['labels', 'placement', 'update_config', 'rollback_config', 'endpoint_mode']));
  if (v.mode !== undefined && v.mode !== 'replicated') fail(`${path}.mode`, `carton runs replicated services only, not ${JSON.stringify(v.mode)}`);
  if (v.restart_policy !== undefined) fail(`${path}.restart_policy`, 'is not supported by carton yet', 'use restart: at the service level');
  const out: { replicas?: number; memory?: string; cpus?: string; pids?: number } = {};
  if (v.replicas !== undefined) out.replicas = int(v.replicas, `${path}.replicas`);
  if (v.resources !== undefined) {
    const r = v.resources;
    if (!isMap(r)) fail(`${path}.resources`, 'must be a mapping');
    checkKeys(r, `${path}.resources`, new Set(['limits']), new Set(['reservations']));
    if (r.limits !== undefined) {
      const l = r.limits;
      if (!isMap(l)) fail(`${path}.resources.limits`, 'must be a mapping');
      checkKeys(l, `${path}.resources.limits`, new Set(['cpus', 'memory', 'pids']), new Set(['devices']));
      if (l.cpus !== undefined) out.cpus = str(l.cpus, `${path}.resources.limits.cpus`);
      if (l.memory !== undefined) out.memory = bytes(l.memory, `${path}.resources.limits.memory`);
      if (l.pids !== undefined) out.pids = int(l.pids, `${path}.resources.limits.pids`);
    }
  }
  return out;
}

function environment(v: Raw, path: string, dir: string, shell: Record<string, string | undefined>, readEnvFile: (file: string) => Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  const files = v.env_file === undefined ? [] : Array.isArray(v.env_file) || typeof v.env_file === 'string' ? strings(v.env_file, `${path}.env_file`) : fail(`${path}.env_file`, 'must be a file or a list of files');
  for (const file of files) Object.assign(env, readEnvFile(hostPath(file, dir)));
  for (const [k, value] of Object.entries(listOrMap(v.environment, `${path}.environment`))) {
    if (value !== null) env[k] = value;
    else if (shell[k] !== undefined) env[k] = shell[k]!;
    else delete env[k]; // KEY alone and unset in the shell: not set, as Compose
  }
  return env;
}

function service(name: string, v: unknown, project: Raw, dir: string, shell: Record<string, string | undefined>, readEnvFile: (file: string) => Record<string, string>): Service {
  const path = `services.${name}`;
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) fail(path, 'a service name may hold only letters, digits, ".", "_" and "-"');
  if (!isMap(v)) fail(path, `must be a mapping, not ${describe(v)}`);
  checkKeys(v, path, SERVICE_KEYS, UNSUPPORTED);
  const opt = (key: string) => (v[key] === undefined || v[key] === null ? undefined : str(v[key], `${path}.${key}`));
  const flag = (key: string) => (v[key] === undefined ? false : bool(v[key], `${path}.${key}`));
  let build: Service['build'];
  if (v.build !== undefined) {
    const b = typeof v.build === 'string' ? { context: v.build } : v.build;
    if (!isMap(b)) fail(`${path}.build`, 'must be a context path or a mapping');
    checkKeys(b, `${path}.build`, new Set(['context', 'dockerfile', 'args', 'target', 'labels', 'network']), new Set(['dockerfile_inline', 'ssh', 'cache_from', 'cache_to', 'extra_hosts', 'isolation', 'privileged', 'secrets', 'tags', 'platforms', 'ulimits', 'shm_size', 'additional_contexts', 'no_cache', 'pull', 'entitlements']));
    const args = listOrMap(b.args, `${path}.build.args`);
    build = {
      context: hostPath(b.context === undefined ? '.' : str(b.context, `${path}.build.context`), dir),
      dockerfile: b.dockerfile === undefined ? 'Dockerfile' : str(b.dockerfile, `${path}.build.dockerfile`),
      args: Object.fromEntries(Object.entries(args).flatMap(([k, x]) => (x !== null ? [[k, x]] : shell[k] !== undefined ? [[k, shell[k]!]] : []))),
      ...(b.target !== undefined ? { target: str(b.target, `${path}.build.target`) } : {}),
      labels: Object.fromEntries(Object.entries(listOrMap(b.labels, `${path}.build.labels`)).map(([k, x]) => [k, x ?? ''])),
      ...(b.network !== undefined ? { network: str(b.network, `${path}.build.network`) } : {}),
    };
  }
  const image = opt('image');
  if (!image && !build) fail(path, 'has neither an image nor a build context', 'give image: or build:');
  const pullPolicy = opt('pull_policy');
  if (pullPolicy !== undefined && !['always', 'missing', 'never', 'build', 'if_not_present'].includes(pullPolicy)) fail(`${path}.pull_policy`, `must be always, missing, never or build, not ${JSON.stringify(pullPolicy)}`);
  const networkMode = opt('network_mode');
  if (networkMode !== undefined && !['bridge', 'host', 'none'].includes(networkMode)) {
    fail(`${path}.network_mode`, /^(service|container):/.test(networkMode) ? `${networkMode}: sharing another container's network is not supported by carton yet` : `must be bridge, host or none, not ${JSON.stringify(networkMode)}`);
  }
  const declared = isMap(project.networks) ? project.networks : {};
  let networks: Service['networks'] = {};
  if (v.networks !== undefined && v.networks !== null) {
    if (networkMode) fail(`${path}.networks`, 'conflicts with network_mode', 'give one or the other');
    if (Array.isArray(v.networks)) networks = Object.fromEntries(strings(v.networks, `${path}.networks`).map((n) => [n, { aliases: [] }]));
    else if (isMap(v.networks)) {
      networks = Object.fromEntries(Object.entries(v.networks).map(([n, x]) => {
        if (x === null) return [n, { aliases: [] }];
        if (!isMap(x)) fail(`${path}.networks.${n}`, 'must be a mapping (aliases:) or empty');
        checkKeys(x, `${path}.networks.${n}`, new Set(['aliases']), new Set(['ipv4_address', 'ipv6_address', 'link_local_ips', 'mac_address', 'priority', 'driver_opts', 'gw_priority', 'interface_name']));
        return [n, { aliases: strings(x.aliases, `${path}.networks.${n}.aliases`) }];
      }));
    } else fail(`${path}.networks`, 'must be a list or a mapping of networks');
    for (const n of Object.keys(networks)) if (n !== 'default' && !(n in declared)) fail(`${path}.networks`, `service refers to undefined network ${n}`, 'declare it under the top-level networks:');
  } else if (!networkMode) networks = { default: { aliases: [] } };
  const d = deploy(v.deploy, `${path}.deploy`);
  const scale = v.scale === undefined ? undefined : int(v.scale, `${path}.scale`);
  if (scale !== undefined && d.replicas !== undefined && scale !== d.replicas) fail(`${path}.scale`, `${scale} differs from deploy.replicas ${d.replicas}`, 'give one of them');
  const restart = opt('restart');
  if (restart !== undefined && !/^(no|always|unless-stopped|on-failure(:\d+)?)$/.test(restart)) fail(`${path}.restart`, `must be no, always, on-failure[:N] or unless-stopped, not ${JSON.stringify(restart)}`);
  const volumesDeclared = isMap(project.volumes) ? project.volumes : undefined;
  const replicas = scale ?? d.replicas ?? 1;
  const containerName = opt('container_name');
  if (containerName && replicas > 1) fail(`${path}.container_name`, `a service with container_name cannot have ${replicas} replicas`, 'container names are unique: drop container_name, or scale to 1');
  const extraHosts = listOrMap(v.extra_hosts, `${path}.extra_hosts`, Array.isArray(v.extra_hosts) && (v.extra_hosts as unknown[]).some((x) => typeof x === 'string' && x.includes('=')) ? '=' : ':');
  return {
    name,
    ...(image ? { image } : {}),
    ...(build ? { build } : {}),
    ...(pullPolicy ? { pullPolicy: (pullPolicy === 'if_not_present' ? 'missing' : pullPolicy) as Service['pullPolicy'] } : {}),
    ...(opt('platform') ? { platform: opt('platform') } : {}),
    command: command(v.command, `${path}.command`),
    entrypoint: command(v.entrypoint, `${path}.entrypoint`),
    environment: environment(v, path, dir, shell, readEnvFile),
    ports: v.ports === undefined || v.ports === null ? [] : Array.isArray(v.ports) ? v.ports.map((p, i) => port(p, `${path}.ports[${i}]`)) : fail(`${path}.ports`, 'must be a list'),
    expose: strings(Array.isArray(v.expose) ? v.expose.map(String) : v.expose, `${path}.expose`).map((p, i) => (/^\d+(-\d+)?(\/(tcp|udp))?$/.test(p) ? p : fail(`${path}.expose[${i}]`, `invalid port ${JSON.stringify(p)}`))),
    volumes: v.volumes === undefined || v.volumes === null ? [] : Array.isArray(v.volumes) ? v.volumes.map((m, i) => mount(m, `${path}.volumes[${i}]`, dir, volumesDeclared)) : fail(`${path}.volumes`, 'must be a list'),
    networks,
    ...(networkMode ? { networkMode: networkMode as Service['networkMode'] } : {}),
    dependsOn: dependsOn(v.depends_on, `${path}.depends_on`),
    healthcheck: healthcheck(v.healthcheck, `${path}.healthcheck`),
    restart, user: opt('user'), workingDir: opt('working_dir'), hostname: opt('hostname'),
    labels: Object.fromEntries(Object.entries(listOrMap(v.labels, `${path}.labels`)).map(([k, x]) => [k, x ?? ''])),
    init: flag('init'),
    stopSignal: opt('stop_signal'),
    stopGracePeriod: v.stop_grace_period === undefined ? undefined : seconds(v.stop_grace_period, `${path}.stop_grace_period`),
    memLimit: d.memory ?? (v.mem_limit === undefined ? undefined : bytes(v.mem_limit, `${path}.mem_limit`)),
    memswapLimit: v.memswap_limit === undefined ? undefined : String(v.memswap_limit) === '-1' ? '-1' : bytes(v.memswap_limit, `${path}.memswap_limit`),
    cpus: d.cpus ?? opt('cpus'),
    cpuShares: opt('cpu_shares'),
    cpuset: opt('cpuset'),
    pidsLimit: d.pids ?? (v.pids_limit === undefined ? undefined : int(v.pids_limit, `${path}.pids_limit`, -1)),
    replicas,
    capAdd: strings(v.cap_add, `${path}.cap_add`), capDrop: strings(v.cap_drop, `${path}.cap_drop`), securityOpt: strings(v.security_opt, `${path}.security_opt`),
    tmpfs: strings(v.tmpfs, `${path}.tmpfs`), readOnly: flag('read_only'),
    extraHosts: Object.entries(extraHosts).map(([h, ip]) => (ip === null ? fail(`${path}.extra_hosts`, `${h} has no address`, 'write HOST:IP') : `${h}:${ip}`)),
    dns: strings(v.dns, `${path}.dns`), dnsSearch: strings(v.dns_search, `${path}.dns_search`), dnsOpt: strings(v.dns_opt, `${path}.dns_opt`),
    profiles: strings(v.profiles, `${path}.profiles`),
    ...(containerName ? { containerName } : {}),
    privileged: flag('privileged'), stdinOpen: flag('stdin_open'), tty: flag('tty'),
  };
}

function network(key: string, v: unknown, projectName: string): NetworkDef {
  const path = `networks.${key}`;
  if (v === null || v === undefined) return { name: `${projectName}_${key}`, external: false, labels: {}, internal: false };
  if (!isMap(v)) fail(path, 'must be a mapping or empty');
  checkKeys(v, path, new Set(['driver', 'external', 'name', 'labels', 'ipam', 'internal']), new Set(['driver_opts', 'attachable', 'enable_ipv6', 'enable_ipv4']));
  if (v.driver !== undefined && v.driver !== 'bridge') fail(`${path}.driver`, `carton networks use the bridge driver, not ${JSON.stringify(v.driver)}`);
  const external = v.external === undefined ? false : isMap(v.external) ? true : bool(v.external, `${path}.external`);
  const named = v.name !== undefined ? str(v.name, `${path}.name`) : isMap(v.external) && v.external.name !== undefined ? str(v.external.name, `${path}.external.name`) : undefined;
  let subnet: string | undefined;
  let gateway: string | undefined;
  if (v.ipam !== undefined) {
    if (!isMap(v.ipam)) fail(`${path}.ipam`, 'must be a mapping');
    checkKeys(v.ipam, `${path}.ipam`, new Set(['driver', 'config']), new Set(['options']));
    const config = v.ipam.config === undefined ? [] : Array.isArray(v.ipam.config) ? v.ipam.config : fail(`${path}.ipam.config`, 'must be a list');
    if (config.length > 1) fail(`${path}.ipam.config`, 'carton networks have one subnet');
    if (config[0] !== undefined) {
      if (!isMap(config[0])) fail(`${path}.ipam.config[0]`, 'must be a mapping');
      checkKeys(config[0], `${path}.ipam.config[0]`, new Set(['subnet', 'gateway']), new Set(['ip_range', 'aux_addresses']));
      if (config[0].subnet !== undefined) subnet = str(config[0].subnet, `${path}.ipam.config[0].subnet`);
      if (config[0].gateway !== undefined) gateway = str(config[0].gateway, `${path}.ipam.config[0].gateway`);
    }
  }
  return {
    name: named ?? (external ? key : `${projectName}_${key}`), external,
    labels: Object.fromEntries(Object.entries(listOrMap(v.labels, `${path}.labels`)).map(([k, x]) => [k, x ?? ''])),
    ...(subnet ? { subnet } : {}), ...(gateway ? { gateway } : {}),
    internal: v.internal === undefined ? false : bool(v.internal, `${path}.internal`),
  };
}

function volume(key: string, v: unknown, projectName: string): VolumeDef {
  const path = `volumes.${key}`;
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(key)) fail(path, 'a volume name may hold only letters, digits, ".", "_" and "-"');
  if (v === null || v === undefined) return { name: `${projectName}_${key}`, external: false, labels: {} };
  if (!isMap(v)) fail(path, 'must be a mapping or empty');
  checkKeys(v, path, new Set(['driver', 'external', 'name', 'labels']), new Set(['driver_opts']));
  if (v.driver !== undefined && v.driver !== 'local') fail(`${path}.driver`, `carton volumes use the local driver, not ${JSON.stringify(v.driver)}`);
  const external = v.external === undefined ? false : isMap(v.external) ? true : bool(v.external, `${path}.external`);
  const named = v.name !== undefined ? str(v.name, `${path}.name`) : undefined;
  return { name: named ?? (external ? key : `${projectName}_${key}`), external, labels: Object.fromEntries(Object.entries(listOrMap(v.labels, `${path}.labels`)).map(([k, x]) => [k, x ?? ''])) };
}

/** The top level's keys, checked before anything else. */
export function checkTopLevel(raw: unknown): asserts raw is Raw {
  if (!isMap(raw)) fail('(root)', `a compose file is a mapping, not ${describe(raw)}`);
  checkKeys(raw, '(root)', TOP_KEYS);
  for (const key of ['include', 'configs', 'secrets', 'models']) if (raw[key] !== undefined) fail(key, 'is not supported by carton yet');
  for (const key of ['services', 'networks', 'volumes']) if (raw[key] !== undefined && raw[key] !== null && !isMap(raw[key])) fail(key, `must be a mapping, not ${describe(raw[key])}`);
}

export interface NormalizeOptions {
  name: string;
  workingDir: string;
  configFiles: string[];
  profiles: string[];
  /** The shell's environment (with .env under it), for KEY-alone environment entries and build args. */
  shell: Record<string, string | undefined>;
  readEnvFile: (file: string) => Record<string, string>;
}

/** The checked Project of a (merged, interpolated) compose file. */
export function normalize(raw: unknown, options: NormalizeOptions): Project {
  checkTopLevel(raw);
  const rawServices = (raw.services ?? {}) as Raw;
  if (!Object.keys(rawServices).length) fail('services', 'no services are defined', 'a compose file needs at least one service under services:');
  const all = Object.fromEntries(Object.entries(rawServices).map(([n, v]) => [n, service(n, v, raw, options.workingDir, options.shell, options.readEnvFile)]));
  for (const s of Object.values(all)) {
    for (const dep of Object.keys(s.dependsOn)) if (!(dep in all)) fail(`services.${s.name}.depends_on`, `service ${s.name} depends on undefined service ${dep}`);
  }
  const active = (s: Service) => s.profiles.length === 0 || s.profiles.some((p) => options.profiles.includes(p) || options.profiles.includes('*'));
  const services = Object.fromEntries(Object.entries(all).filter(([, s]) => active(s)));
  for (const s of Object.values(services)) {
    for (const [dep, d] of Object.entries(s.dependsOn)) {
      if (!(dep in services) && d.required) fail(`services.${s.name}.depends_on`, `service ${dep} is disabled by its profiles (${all[dep].profiles.join(', ')})`, `enable one with --profile`);
    }
  }
  const rawNetworks = (raw.networks ?? {}) as Raw;
  const networks = Object.fromEntries(Object.entries(rawNetworks).map(([k, v]) => [k, network(k, v, options.name)]));
  if (!networks.default) networks.default = { name: `${options.name}_default`, external: false, labels: {}, internal: false };
  const volumes = Object.fromEntries(Object.entries((raw.volumes ?? {}) as Raw).map(([k, v]) => [k, volume(k, v, options.name)]));
  return {
    name: options.name, workingDir: options.workingDir, configFiles: options.configFiles, services,
    disabled: Object.fromEntries(Object.entries(all).filter(([, s]) => !active(s))), networks, volumes,
  };
}
