// carton info (and system info): what this carton is and runs on, in the shape of docker info.
import { readFileSync } from 'node:fs';
import { cpus, hostname, release, totalmem } from 'node:os';
import type { Command } from '../command.js';
import { IMPL } from '../../impl.js';
import { cgroupLayout } from '../../../solutions/00-doctor/cgroup-layout.js';
import * as engine from '../../runtime/engine.js';
import { cartonRoot } from '../../runtime/paths.js';
import { listContainers } from '../../runtime/state.js';
import { chapterLevel, featuresAt } from '../../runtime/level.js';

function operatingSystem(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'Linux';
  } catch {
    return 'Linux';
  }
}

export async function systemInfo(): Promise<Record<string, unknown>> {
  await engine.recover();
  const containers = listContainers();
  const count = (s: string[]) => containers.filter((c) => s.includes(c.status)).length;
  const { openStore } = await import('../../runtime/images.js');
  const { store } = await openStore();
  const layout = cgroupLayout();
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url.replace('/dist/', '/')), 'utf8')) as { version: string };
  const level = chapterLevel();
  return {
    Containers: containers.length, ContainersRunning: count(['running', 'restarting']), ContainersPaused: count(['paused']), ContainersStopped: count(['exited', 'created']),
    Images: store.list().filter((i) => i.names.length).length,
    ServerVersion: pkg.version, Driver: 'overlayfs', CgroupDriver: 'cgroupfs', CgroupVersion: layout.mode === 'v2' ? '2' : '1',
    CgroupMode: layout.mode, Runtimes: ['carton'], DefaultRuntime: 'carton',
    SecurityOptions: featuresAt(level).security ? ['name=seccomp,profile=builtin', 'name=cgroupns'] : [],
    KernelVersion: release(), OperatingSystem: operatingSystem(), OSType: 'linux', Architecture: process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : process.arch,
    NCPU: cpus().length, MemTotal: totalmem(), Name: hostname(), DockerRootDir: cartonRoot(),
    Implementation: IMPL, Chapter: level, NodeVersion: process.version,
  };
}

export const info: Command = {
  name: 'info',
  summary: 'Display system-wide information',
  usage: '[OPTIONS]',
  flags: [{ name: 'format', short: 'f', kind: 'string', value: 'string', description: "'json', '{{json .}}', or a field such as '{{.Containers}}'" }],
  async run(flags) {
    const facts = await systemInfo();
    const format = flags.format as string | undefined;
    if (format === 'json' || format === '{{json .}}') {
      process.stdout.write(JSON.stringify(facts) + '\n');
      return 0;
    }
    if (format) {
      const { renderTemplate } = await import('../template.js');
      process.stdout.write(renderTemplate(format, facts) + '\n');
      return 0;
    }
    const gib = (n: number) => `${(n / 1024 ** 3).toFixed(2)}GiB`;
    const lines = [
      'Server:',
      ` Containers: ${facts.Containers}`, `  Running: ${facts.ContainersRunning}`, `  Paused: ${facts.ContainersPaused}`, `  Stopped: ${facts.ContainersStopped}`,
      ` Images: ${facts.Images}`,
      ` Server Version: ${facts.ServerVersion} (carton, no daemon; implementation: ${facts.Implementation}, chapter ${facts.Chapter})`,
      ` Storage Driver: ${facts.Driver}`,
      ` Cgroup Driver: ${facts.CgroupDriver}`, ` Cgroup Version: ${facts.CgroupVersion} (${facts.CgroupMode})`,
      ` Runtimes: carton`, ` Default Runtime: carton`,
      ' Security Options:', ...(facts.SecurityOptions as string[]).map((o) => `  ${o.replace(/^name=/, '').replace(',profile=', '\n   Profile: ')}`),
      ` Kernel Version: ${facts.KernelVersion}`, ` Operating System: ${facts.OperatingSystem}`, ` OSType: ${facts.OSType}`, ` Architecture: ${facts.Architecture}`,
      ` CPUs: ${facts.NCPU}`, ` Total Memory: ${gib(facts.MemTotal as number)}`, ` Name: ${facts.Name}`, ` Docker Root Dir: ${facts.DockerRootDir}`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
    return 0;
  },
};

export const systemInfoCommand: Command = { ...info, name: 'system info' };
