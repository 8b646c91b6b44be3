// compose config: the project as Compose's canonical model (the keys of the specification,
// one shape each, variables interpolated, paths absolute, names resolved), so a user sees
// exactly what carton will run.
import type { Project, Service } from './model.js';

const some = <T>(list: T[]) => (list.length ? list : undefined);
const nonEmpty = (map: Record<string, unknown>) => (Object.keys(map).length ? map : undefined);

function service(project: Project, s: Service): Record<string, unknown> {
  return {
    image: s.image, build: s.build && { context: s.build.context, dockerfile: s.build.dockerfile, args: nonEmpty(s.build.args), target: s.build.target, labels: nonEmpty(s.build.labels), network: s.build.network },
    pull_policy: s.pullPolicy, platform: s.platform, container_name: s.containerName,
    command: s.command, entrypoint: s.entrypoint, environment: nonEmpty(s.environment),
    ports: some(s.ports.map((p) => {
      const m = /^(?:(\d+\.\d+\.\d+\.\d+):)?(?:(\d*(?:-\d+)?):)?(\d+(?:-\d+)?)\/(tcp|udp)$/.exec(p)!;
      return { target: Number(m[3]) || m[3], ...(m[2] ? { published: m[2] } : {}), ...(m[1] ? { host_ip: m[1] } : {}), protocol: m[4], mode: 'ingress' };
    })),
    expose: some(s.expose),
    volumes: some(s.volumes.map((m) => ({ type: m.type, ...(m.source ? { source: m.source } : {}), target: m.target, ...(m.readOnly ? { read_only: true } : {}), ...(m.options ? { tmpfs: m.options } : {}) }))),
    network_mode: s.networkMode,
    networks: s.networkMode ? undefined : Object.fromEntries(Object.entries(s.networks).map(([k, n]) => [k, n.aliases.length ? { aliases: n.aliases } : null])),
    depends_on: nonEmpty(Object.fromEntries(Object.entries(s.dependsOn).map(([k, d]) => [k, { condition: d.condition, required: d.required, restart: d.restart }]))),
    healthcheck: s.healthcheck && (s.healthcheck.disable ? { disable: true } : {
      test: s.healthcheck.test, interval: s.healthcheck.interval, timeout: s.healthcheck.timeout, retries: s.healthcheck.retries, start_period: s.healthcheck.startPeriod, start_interval: s.healthcheck.startInterval,
    }),
    restart: s.restart, user: s.user, working_dir: s.workingDir, hostname: s.hostname, labels: nonEmpty(s.labels), init: s.init || undefined,
    stop_signal: s.stopSignal, stop_grace_period: s.stopGracePeriod === undefined ? undefined : `${s.stopGracePeriod}s`,
    mem_limit: s.memLimit, memswap_limit: s.memswapLimit, cpus: s.cpus, cpu_shares: s.cpuShares, cpuset: s.cpuset, pids_limit: s.pidsLimit,
    scale: s.replicas === 1 ? undefined : s.replicas,
    cap_add: some(s.capAdd), cap_drop: some(s.capDrop), security_opt: some(s.securityOpt), tmpfs: some(s.tmpfs), read_only: s.readOnly || undefined,
    extra_hosts: some(s.extraHosts), dns: some(s.dns), dns_search: some(s.dnsSearch), dns_opt: some(s.dnsOpt), profiles: some(s.profiles),
    privileged: s.privileged || undefined, stdin_open: s.stdinOpen || undefined, tty: s.tty || undefined,
  };
}

/** Undefined members dropped (YAML would print them as null). */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, clean(v)]));
  return value;
}

/** The model `compose config` prints (only `names`' services when given). */
export function composeModel(project: Project, names: string[] = []): Record<string, unknown> {
  const services = Object.values(project.services).filter((s) => !names.length || names.includes(s.name)).sort((a, b) => a.name.localeCompare(b.name));
  const usedNetworks = new Set(services.flatMap((s) => Object.keys(s.networks)));
  const usedVolumes = new Set(services.flatMap((s) => s.volumes.filter((m) => m.type === 'volume' && m.source).map((m) => m.source)));
  return clean({
    name: project.name,
    services: Object.fromEntries(services.map((s) => [s.name, service(project, s)])),
    networks: nonEmpty(Object.fromEntries(Object.entries(project.networks).filter(([k]) => usedNetworks.has(k)).map(([k, n]) => [k, { name: n.name, ...(n.external ? { external: true } : {}), ...(n.internal ? { internal: true } : {}), ...(Object.keys(n.labels).length ? { labels: n.labels } : {}), ...(n.subnet ? { ipam: { config: [{ subnet: n.subnet, ...(n.gateway ? { gateway: n.gateway } : {}) }] } } : {}) }]))),
    volumes: nonEmpty(Object.fromEntries(Object.entries(project.volumes).filter(([k]) => usedVolumes.has(k)).map(([k, v]) => [k, { name: v.name, ...(v.external ? { external: true } : {}), ...(Object.keys(v.labels).length ? { labels: v.labels } : {}) }]))),
  }) as Record<string, unknown>;
}
