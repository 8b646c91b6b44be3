// carton inspect: a container's record as JSON, in the shape of `docker inspect`.
import type { Command } from '../command.js';
import { requireOperands, UsageError } from '../args.js';
import { CartonError, q } from '../../sys/index.js';
import { findImage, openStore } from '../../runtime/images.js';
import { imageShape } from './images.js';
import * as engine from '../../runtime/engine.js';
import { findContainer, type ContainerRecord, type JoinedNetwork } from '../../runtime/state.js';
import { logPath } from '../../runtime/logs.js';
import { dockerHealthcheck } from '../../runtime/health.js';
import { goMap } from '../template.js';
import { publishedPorts } from './port.js';

/** Docker's "never": State.StartedAt/FinishedAt of a container that has not started or ended. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

interface NetworkFacts {
  /** Gateway and prefix length of each network by name, read from the network records. */
  gateways: Record<string, { gateway: string; prefix: number }>;
  macOf: (address: string) => string;
}

/** Docker's NetworkSettings.Networks: each network the container is on, its address while it runs. */
function networksShape(c: ContainerRecord, facts: NetworkFacts): Record<string, Record<string, unknown>> {
  const first = c.resources.network as JoinedNetwork | undefined;
  const joined = [...(first ? [{ ...first, index: 0 }] : []), ...((c.resources.networks ?? []) as JoinedNetwork[])];
  const primary = c.network ?? 'bridge'; // 'none' after disconnecting it: listed only if nothing else is
  const names = [...(primary === 'none' && c.networks?.length ? [] : [primary]), ...(c.networks ?? []).map((n) => n.name)];
  return Object.fromEntries(names.map((name) => {
    const now = c.status === 'running' || c.status === 'paused' ? joined.find((j) => j.name === name) : undefined;
    const aliases = (c.networks ?? []).find((n) => n.name === name)?.aliases ?? [];
    const net = now?.address ? facts.gateways[name] : undefined;
    return [name, {
      Aliases: aliases, IPAddress: now?.address ?? '', Interface: now ? `eth${now.index}` : '',
      Gateway: net?.gateway ?? '', IPPrefixLen: net?.prefix ?? 0, MacAddress: now?.address ? facts.macOf(now.address) : '',
    }];
  }));
}

/** Docker's NetworkSettings.Ports: "80/tcp" → [{ HostIp, HostPort }] while published; null for exposed only. */
function portsShape(c: ContainerRecord): Record<string, Array<{ HostIp: string; HostPort: string }> | null> {
  const ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null> = {};
  for (const p of c.exposedPorts ?? []) ports[p.includes('/') ? p : `${p}/tcp`] = null;
  const running = c.status === 'running' || c.status === 'paused';
  const published = running ? publishedPorts(c.resources) : [];
  for (const p of published) {
    const key = `${p.containerPort}/${p.protocol}`;
    ports[key] = [...(ports[key] ?? []), { HostIp: p.hostIp || '0.0.0.0', HostPort: String(p.hostPort) }];
  }
  return ports;
}

export function dockerShape(c: ContainerRecord, facts: NetworkFacts = { gateways: {}, macOf: () => '' }): Record<string, unknown> {
  const networks = networksShape(c, facts);
  const main = networks[c.network ?? 'bridge'];
  const limits = c.limits ?? {};
  const nanoCpus = limits.cpuQuotaUs && limits.cpuPeriodUs ? Math.round((Number(limits.cpuQuotaUs) / Number(limits.cpuPeriodUs)) * 1e9) : 0;
  return {
    Id: c.id,
    Created: c.created,
    Path: c.argv[0] ?? '',
    Args: c.argv.slice(1),
    State: {
      Status: c.status, Running: c.status === 'running', Paused: c.status === 'paused', Restarting: c.status === 'restarting', OOMKilled: c.oomKilled, Dead: c.status === 'dead',
      Pid: c.pid ?? 0, ExitCode: c.exitCode ?? 0, Error: c.error ?? '', StartedAt: c.started ?? ZERO_TIME, FinishedAt: c.finished ?? ZERO_TIME,
      ...(c.healthcheck && c.health ? {
        Health: { Status: c.health.status, FailingStreak: c.health.failingStreak, Log: c.health.log.map((l) => ({ Start: l.start, End: l.end, ExitCode: l.exitCode, Output: l.output })) },
      } : {}),
    },
    Image: c.imageId ?? c.image,
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    LogPath: logPath(c.id),
    HostConfig: {
      AutoRemove: c.autoRemove, RestartPolicy: { Name: c.restart.policy, MaximumRetryCount: c.restart.maxRetries }, Init: c.init,
      Binds: c.mounts.filter((m) => m.kind !== 'tmpfs').map((m) => `${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`),
      Tmpfs: Object.fromEntries(c.mounts.filter((m) => m.kind === 'tmpfs').map((m) => [m.target, m.options ?? ''])),
      NetworkMode: c.network ?? 'bridge', PortBindings: portBindings(c.publish ?? []), PublishAllPorts: !!c.publishAll,
      Memory: Number(limits.memory ?? 0), MemorySwap: Number(limits.memorySwap ?? 0), NanoCpus: nanoCpus, CpuShares: Number(limits.cpuShares ?? 0),
      PidsLimit: limits.pidsMax === undefined ? null : Number(limits.pidsMax), CpusetCpus: String(limits.cpusetCpus ?? ''), ReadonlyRootfs: c.readOnly,
      ExtraHosts: c.extraHosts?.map((l) => `${l.split('\t')[1]}:${l.split('\t')[0]}`) ?? null, Dns: c.dns?.servers ?? [], DnsSearch: c.dns?.search ?? [], DnsOptions: c.dns?.options ?? [],
      LogConfig: { Type: c.log?.driver ?? 'json-file', Config: { ...(c.log?.maxSize !== undefined ? { 'max-size': String(c.log.maxSize) } : {}), ...(c.log?.maxFile !== undefined ? { 'max-file': String(c.log.maxFile) } : {}) } },
      CapAdd: c.security?.capAdd ?? null, CapDrop: c.security?.capDrop ?? null, Privileged: !!c.security?.privileged, UsernsMode: c.userns ? 'private' : '', SecurityOpt: c.security?.securityOpt?.length ? c.security.securityOpt : null,
    },
    Mounts: c.mounts.map((m) => ({
      Type: m.kind, ...(m.kind === 'volume' ? { Name: m.source } : {}), Source: m.kind === 'tmpfs' ? '' : m.source, Destination: m.target, Mode: m.readOnly ? 'ro' : '', RW: !m.readOnly,
    })),
    Config: {
      Hostname: c.hostname, User: c.user ? `${c.user.uid}:${c.user.gid}` : '', Env: c.env, Cmd: c.argv, Image: c.image,
      WorkingDir: c.cwd, Tty: c.tty, OpenStdin: c.interactive, Labels: goMap({ ...(c.labels ?? {}) }),
      ...(c.stopSignal ? { StopSignal: c.stopSignal } : {}), ...(c.stopTimeout !== undefined ? { StopTimeout: c.stopTimeout } : {}),
      ExposedPorts: Object.fromEntries(Object.keys(portsShape(c)).map((p) => [p, {}])),
      ...(c.healthcheck ? { Healthcheck: dockerHealthcheck(c.healthcheck) } : {}),
    },
    NetworkSettings: {
      IPAddress: main?.IPAddress ?? '', Gateway: main?.Gateway ?? '', IPPrefixLen: main?.IPPrefixLen ?? 0, MacAddress: main?.MacAddress ?? '',
      Ports: portsShape(c), Networks: networks,
    },
    GraphDriver: { Name: 'carton', Data: { RootFs: c.rootfs } },
    Carton: { Resources: c.resources, MonitorPid: c.monitorPid ?? 0, ...(c.logError ? { LogError: c.logError } : {}) },
  };
}

/** -p specs as Docker's HostConfig.PortBindings. */
function portBindings(specs: string[]): Record<string, Array<{ HostIp: string; HostPort: string }>> {
  const out: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const spec of specs) {
    const m = /^(?:(\d+\.\d+\.\d+\.\d+):)?(?:(\d*):)?(\d+(?:-\d+)?)(?:\/(tcp|udp))?$/.exec(spec);
    if (!m) continue;
    const key = `${m[3]}/${m[4] ?? 'tcp'}`;
    out[key] = [...(out[key] ?? []), { HostIp: m[1] ?? '', HostPort: m[2] ?? '' }];
  }
  return out;
}

/** What inspect needs of the networks: their gateways, and the MAC rule (chapter 06). */
async function networkFacts(): Promise<NetworkFacts> {
  const [{ chapter }, { registry }] = await Promise.all([import('../../impl.js'), import('../../runtime/networks.js')]);
  const networking = await chapter.networking();
  const gateways: NetworkFacts['gateways'] = {};
  try {
    // The default bridge's record is among them once it exists.
    for (const n of registry(networking).list()) gateways[n.name] = { gateway: n.gateway, prefix: networking.parseCidr(n.subnet).prefix };
  } catch {
    // no network state yet
  }
  return { gateways, macOf: networking.macAddressOf };
}

/** A container, else an image (as `docker inspect` looks for both); --type picks one. */
async function inspectObject(ref: string, type: string | undefined): Promise<Record<string, unknown>> {
  if (type !== undefined && type !== 'container' && type !== 'image') throw new UsageError(`unknown --type ${q(type)}`, 'use container or image');
  if (type !== 'image') {
    try {
      const record = findContainer(ref);
      const shape = dockerShape(record, await networkFacts());
      // Chapter 08: the OCI runtime spec the container is made from (what Docker would hand runc).
      if (record.status !== 'dead') {
        (shape.Carton as Record<string, unknown>).Spec = (await engine.spec(record)).spec;
      }
      return shape;
    } catch (error) {
      if (type === 'container' || !(error instanceof CartonError)) throw error;
    }
  }
  const { images, store } = await openStore();
  const image = await findImage(images, store, ref);
  if (!image) throw new CartonError(`no such object: ${ref}`, "see 'carton ps -a' and 'carton images'");
  return imageShape(images, image);
}

export const inspect: Command = {
  name: 'inspect',
  summary: 'Return low-level information on containers or images, as JSON',
  usage: '[OPTIONS] CONTAINER|IMAGE [CONTAINER|IMAGE...]',
  flags: [
    { name: 'format', short: 'f', kind: 'string', value: 'string', description: 'A Go template, e.g. \'{{.State.Status}}\' or \'{{json .Config}}\'' },
    { name: 'type', kind: 'string', value: 'string', description: 'Only look for a container or an image' },
  ],
  async run(flags, operands) {
    requireOperands('inspect', operands, 1);
    await engine.recover();
    const shaped = await Promise.all(operands.map((ref) => inspectObject(ref, flags.type as string | undefined)));
    (await import('../template.js')).printInspected(shaped as never[], flags.format);
    return 0;
  },
};
