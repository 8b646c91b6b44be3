// Chapter 08 in the everyday runtime: a container as an OCI runtime spec. `carton run`
// turns the image's config and the flags into a ContainerRecord; this module turns the record
// into the config.json that Docker (through containerd) would hand runc for the same
// container, with Docker's defaults where Docker has them, and the start path reads the
// container's process, root, hostname, mounts and namespaces from it (stageConfig in
// start.ts). So `carton run --spec-out FILE` and `carton inspect` show exactly what the
// container is made from. What the spec has no field for (the overlay's layers, tini, the
// networks and published ports) is kept apart, in `carton`.
//
// The function is pure given the record: paths under the container's run directory are
// where start() puts the files, so the spec can be shown before or after the container runs.
import { join } from 'node:path';
import type { Mount, NamespaceType, Spec } from '../../solutions/08-oci/spec.js';
import { MASKED_PATHS, READONLY_PATHS } from '../../solutions/03-filesystem/mounts.js';
import { DEFAULT_DEVICE_RULES } from '../../solutions/09-security/devices.js';
import { parseDeviceRule } from '../../solutions/09-security/device-bpf.js';
import type { ContainerRecord } from './state.js';
import type { StageSecurity } from './stage-config.js';
import { volumeDirectory } from './volumes.js';
import { runDir } from './paths.js';
import { featuresAt } from './level.js';
import { containerDir, containerLayer } from './state.js';
import { chapter } from '../impl.js';
import { release } from 'node:os';
import { DEFAULT_MOUNTS, ETC_FILES } from './spec-mounts.js';

export { ETC_FILES, userMountsOf } from './spec-mounts.js';

/** What carton adds to the spec, kept apart from its standard fields. */
export interface CartonAdditions {
  /** Chapter 05: the root is an overlay of the image's layers (topmost first) and the container's own. */
  overlay?: { lowers: string[]; upper: string; work: string };
  /** --init: tini runs as PID 1 around process.args (opened from the host, as Docker bind-mounts docker-init). */
  init: boolean;
  /** Chapter 06: the network given at run ('bridge', 'host', 'none' or a user-defined one), the others connected, and -p. */
  network: string;
  networks: string[];
  publish: string[];
}

export interface ContainerSpec {
  spec: Spec;
  carton: CartonAdditions;
}

/** What a profile rule looks like in config.json (the spec's LinuxSyscall): Docker's rule with its conditions resolved. */
type ResolvedRule = { names: string[]; action: string; errnoRet?: number; args?: unknown[] };

/** The security module's part the spec needs: the profile's conditions, decided for this container. */
export interface SpecSecurity {
  config: StageSecurity;
  /** linux.seccomp: Docker's profile with the rules that apply to this container (architecture, capabilities, kernel). */
  seccomp?: { defaultAction: string; defaultErrnoRet?: number; architectures: string[]; syscalls: ResolvedRule[] };
}

/** Where the root of a container below chapter 05 is copied (private-rootfs.ts), or --rootfs as given. */
export function privateRootfsPath(record: ContainerRecord): string {
  return record.imageId ? join(containerDir(record.id), 'rootfs') : record.rootfs;
}

function userMounts(record: ContainerRecord): Mount[] {
  return record.mounts.map((m): Mount => {
    if (m.kind === 'tmpfs') return { destination: m.target, type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', ...(m.readOnly ? ['ro'] : []), ...(m.options ? m.options.split(',') : [])] };
    return { destination: m.target, type: 'bind', source: m.kind === 'volume' ? volumeDirectory(m) : m.source, options: ['rbind', m.readOnly ? 'ro' : 'rw'] };
  });
}

/** cgroup limits (chapter 04's record.limits) as linux.resources. */
function resources(record: ContainerRecord, devices: boolean): NonNullable<Spec['linux']>['resources'] {
  const l = (record.limits ?? {}) as Record<string, number | string | undefined>;
  const num = (key: string) => (typeof l[key] === 'number' ? (l[key] as number) : undefined);
  const memory = { ...(num('memory') !== undefined ? { limit: num('memory') } : {}), ...(num('memorySwap') !== undefined ? { swap: num('memorySwap') } : {}) };
  const cpu = {
    ...(num('cpuShares') !== undefined ? { shares: num('cpuShares') } : {}),
    ...(num('cpuQuotaUs') !== undefined ? { quota: num('cpuQuotaUs'), period: num('cpuPeriodUs') } : {}),
    ...(typeof l.cpusetCpus === 'string' ? { cpus: l.cpusetCpus } : {}),
  };
  return {
    // Docker's default allow list (chapter 09's), as the devices cgroup holds it.
    ...(devices ? { devices: [{ allow: false, access: 'rwm' }, ...DOCKER_DEVICES] } : {}),
    ...(Object.keys(memory).length ? { memory } : {}),
    ...(Object.keys(cpu).length ? { cpu } : {}),
    ...(num('pidsMax') !== undefined ? { pids: { limit: num('pidsMax') } } : {}),
  };
}

/** Docker's allow list, chapter 09's (the same rules the v1 files and the v2 program hold), as linux.resources.devices. */
const DOCKER_DEVICES = DEFAULT_DEVICE_RULES.map(parseDeviceRule).map((r) => ({
  allow: true, type: r.type, major: r.major ?? null, minor: r.minor ?? null, access: ['r', 'w', 'm'].filter((c, i) => r.access & [2, 4, 1][i]).join(''),
}));

/**
 * The container of `record` at chapter `level`, as an OCI runtime spec. `security` is
 * chapter 09's decision for it (undefined below chapter 09).
 */
export function containerSpec(record: ContainerRecord, level: number, security?: SpecSecurity): ContainerSpec {
  const uses = featuresAt(level);
  const dir = runDir(record.id);
  const overlay = uses.overlay ? { lowers: record.layers, ...containerLayer(record.id) } : undefined;
  const config = security?.config;
  const caps = config?.capabilities;
  const mounts = uses.filesystem ? [
    ...DEFAULT_MOUNTS,
    ...ETC_FILES.map((f): Mount => ({ destination: `/etc/${f}`, type: 'bind', source: join(dir, f), options: ['rbind', 'rprivate'] })),
    ...(uses.volumes ? userMounts(record) : []),
  ] : [];
  const types: NamespaceType[] = ['pid', 'ipc', 'uts', 'mount', ...(record.network !== 'host' ? (['network'] as const) : []), 'cgroup'];
  const userns = uses.security ? record.userns : undefined;
  if (userns) types.unshift('user');
  const namespaces = uses.namespaces ? types.map((type) => ({ type })) : [];
  const spec: Spec = {
    ociVersion: '1.0.2',
    process: {
      terminal: record.tty,
      user: { uid: record.user?.uid ?? 0, gid: record.user?.gid ?? 0, ...(record.user?.groups.length ? { additionalGids: record.user.groups } : {}) },
      args: record.argv,
      env: record.env,
      cwd: record.cwd,
      ...(caps ? { capabilities: { bounding: caps, effective: caps, permitted: caps } } : {}),
      ...(config ? { noNewPrivileges: config.noNewPrivileges } : {}),
    },
    root: { path: overlay ? join(dir, 'merged') : privateRootfsPath(record), readonly: uses.overlay && record.readOnly },
    hostname: record.hostname,
    mounts,
    annotations: { 'org.opencontainers.image.ref.name': record.image, ...(record.imageId ? { 'dev.carton.image.id': record.imageId } : {}) },
    linux: {
      namespaces,
      ...(userns ? {
        uidMappings: [{ containerID: 0, hostID: userns.uid, size: userns.size }],
        gidMappings: [{ containerID: 0, hostID: userns.gid, size: userns.size }],
      } : {}),
      ...(uses.cgroups ? { cgroupsPath: `carton/${record.id}`, resources: resources(record, !!config && !config.privileged && !config.nodev) } : {}),
      ...(uses.filesystem ? { rootfsPropagation: 'rprivate' } : {}),
      ...(uses.filesystem && !config?.privileged ? { maskedPaths: MASKED_PATHS, readonlyPaths: READONLY_PATHS } : {}),
      ...(security?.seccomp ? { seccomp: security.seccomp } : {}),
    },
  };
  return {
    spec,
    carton: {
      ...(overlay ? { overlay } : {}),
      init: record.init,
      network: record.network ?? 'bridge',
      networks: (record.networks ?? []).map((n) => n.name),
      publish: record.publish ?? [],
    },
  };
}

/**
 * Chapter 09's decision for the spec: the stage's settings, and Docker's (or the user's)
 * seccomp profile resolved for this container as Docker writes it into config.json: the
 * native architecture with its sub-architectures, and only the rules whose conditions hold.
 */
export async function specSecurity(record: ContainerRecord, config: StageSecurity | undefined): Promise<SpecSecurity | undefined> {
  if (!config) return undefined;
  if (!config.seccomp) return { config };
  const security = await chapter.security();
  const profile = record.security?.seccompProfile ? security.parseProfile(record.security.seccompProfile, 'of the container') : security.DEFAULT_PROFILE;
  const target = { arch: security.nativeArch(), caps: config.capabilities, kernel: release() };
  const native = security.ARCHES[target.arch].scmp;
  const subs = profile.archMap?.find((a) => a.architecture === native)?.subArchitectures ?? [];
  const syscalls = (profile.syscalls ?? []).filter((rule) => security.applies(rule, target)).map((r): ResolvedRule => ({
    names: r.names, action: r.action, ...(r.errnoRet !== undefined ? { errnoRet: r.errnoRet } : {}), ...(r.args?.length ? { args: r.args } : {}),
  }));
  return { config, seccomp: { defaultAction: profile.defaultAction, ...(profile.defaultErrnoRet !== undefined ? { defaultErrnoRet: profile.defaultErrnoRet } : {}), architectures: [native, ...subs], syscalls } };
}
