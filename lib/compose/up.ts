// compose up (and create, and what run needs first): converge the host on the project.
// Networks and volumes first, then images (built when asked or missing), then each service
// in depends_on order: its containers are kept when their config hash and image are the
// same, recreated when either changed, created when missing, removed beyond its scale; each
// is started once what it depends on is started, healthy or completed, as its condition says.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { chapter } from '../impl.js';
import { CartonError, q } from '../sys/index.js';
import { parseArgs } from '../cli/args.js';
import * as engine from '../runtime/engine.js';
import { logPath } from '../runtime/logs.js';
import { localImage } from '../runtime/images.js';
import { loadContainer, type ContainerRecord } from '../runtime/state.js';
import type { Project, Service } from './model.js';
import {
  conditionMet, containerName, containersOf, createServiceContainer, ensureNetworks, ensureVolumes, imageOf, LABEL, numberOf, say, serviceHash, serviceOf, waitFor,
} from './engine.js';

/** The services `names` asks for (all the active ones when none) and, unless noDeps, what they depend on. */
export function selectServices(project: Project, names: string[], noDeps = false): Service[] {
  const all = { ...project.disabled, ...project.services };
  for (const n of names) if (!all[n]) throw new CartonError(`no such service: ${n}`, `the services are: ${Object.keys(all).sort().join(', ')}`);
  const wanted = new Set(names.length ? names : Object.keys(project.services));
  if (!noDeps) {
    const queue = [...wanted];
    while (queue.length) {
      for (const dep of Object.keys(all[queue.shift()!].dependsOn)) {
        if (!wanted.has(dep) && all[dep]) {
          wanted.add(dep);
          queue.push(dep);
        }
      }
    }
  }
  return [...wanted].map((n) => all[n]);
}

/** The services in start order (depends_on), by chapter 11's startOrder. */
export async function ordered(services: Service[]): Promise<Service[]> {
  const names = new Set(services.map((s) => s.name));
  const graph = Object.fromEntries(services.map((s) => [s.name, Object.keys(s.dependsOn).filter((d) => names.has(d))]));
  const order = (await chapter.compose()).startOrder(graph);
  return order.map((n) => services.find((s) => s.name === n)!);
}

/** Build the images of services with build: (always with `force`, else only those missing), as carton build does. */
export async function buildImages(project: Project, services: Service[], force: boolean, options: { noCache?: boolean; pull?: boolean; quiet?: boolean } = {}): Promise<void> {
  const { build } = await import('../cli/commands/build.js');
  for (const s of services) {
    if (!s.build) continue;
    const tag = imageOf(project, s);
    if (!force && s.pullPolicy !== 'build' && (await localImage(tag))) continue;
    say('Image', tag, 'Building');
    const argv = ['-t', tag, '-f', join(s.build.context, s.build.dockerfile), ...(options.quiet ? ['-q'] : [])];
    for (const [k, v] of Object.entries(s.build.args)) argv.push('--build-arg', `${k}=${v}`);
    for (const [k, v] of Object.entries(s.build.labels)) argv.push('--label', `${k}=${v}`);
    if (s.build.target) argv.push('--target', s.build.target);
    if (s.build.network) argv.push('--network', s.build.network);
    if (options.noCache) argv.push('--no-cache');
    if (options.pull) argv.push('--pull');
    argv.push(s.build.context);
    const { flags, operands } = parseArgs('build', argv, build.flags);
    const status = await build.run(flags, operands);
    if (status !== 0) throw Object.assign(new CartonError(`failed to build the image of service ${q(s.name)}`), { exitCode: status });
    say('Image', tag, 'Built');
  }
}

export interface UpOptions {
  build: boolean;
  noBuild: boolean;
  forceRecreate: boolean;
  noRecreate: boolean;
  removeOrphans: boolean;
  noStart: boolean;
  noDeps: boolean;
  /** Seconds to give a container that is recreated to stop. */
  timeout?: number;
  /** Scale overrides: service → replicas. */
  scale: Record<string, number>;
}

/** Containers this project has for services the file no longer has (or with --remove-orphans, removed). */
async function orphans(project: Project, remove: boolean): Promise<void> {
  const known = new Set([...Object.keys(project.services), ...Object.keys(project.disabled)]);
  const found = containersOf(project.name, { oneoff: true }).filter((c) => !known.has(serviceOf(c)));
  if (!found.length) return;
  if (!remove) {
    process.stderr.write(`WARN Found orphan containers (${found.map((c) => c.name).join(', ')}) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.\n`);
    return;
  }
  for (const c of found) await removeOne(c, undefined, true);
}

/** Stop and remove one container, saying so; with `volumes`, its anonymous volumes too. */
export async function removeOne(c: ContainerRecord, timeout?: number, volumes = false): Promise<void> {
  const fresh = loadContainer(c.id);
  if (!fresh) return;
  if (fresh.status === 'running' || fresh.status === 'paused' || fresh.status === 'restarting') {
    say('Container', c.name, 'Stopping');
    await engine.stop(fresh, timeout ?? fresh.stopTimeout ?? 10);
    say('Container', c.name, 'Stopped');
  }
  say('Container', c.name, 'Removing');
  await engine.remove(loadContainer(c.id) ?? fresh, { force: true, volumes });
  say('Container', c.name, 'Removed');
}

/** Wait for what `s` depends on, as each dependency's condition says. */
export async function waitForDependencies(project: Project, s: Service): Promise<void> {
  for (const [dep, d] of Object.entries(s.dependsOn)) {
    const containers = containersOf(project.name, { services: [dep] });
    if (!containers.length) {
      if (d.required && project.services[dep]) throw new CartonError(`dependency failed to start: service ${dep} has no container`, `start it: carton compose up -d ${dep}`);
      continue;
    }
    for (const c of containers) {
      if (d.condition !== 'service_started') say('Container', c.name, 'Waiting');
      await waitFor(c.id, (r) => conditionMet(d.condition, r, dep));
      if (d.condition === 'service_healthy') say('Container', c.name, 'Healthy');
      if (d.condition === 'service_completed_successfully') say('Container', c.name, 'Exited');
    }
  }
}

/** Start a container detached (its monitor runs it), saying so. */
export async function startOne(c: ContainerRecord): Promise<void> {
  say('Container', c.name, 'Starting');
  await engine.start(loadContainer(c.id) ?? c);
  say('Container', c.name, 'Started');
}

/** Converge the services (and their dependencies); returns the containers started (or to start). */
export async function up(project: Project, names: string[], o: UpOptions): Promise<ContainerRecord[]> {
  await engine.recover();
  const services = await ordered(selectServices(project, names, o.noDeps));
  await orphans(project, o.removeOrphans);
  await ensureNetworks(project, services);
  await ensureVolumes(project, services);
  if (!o.noBuild) await buildImages(project, services, o.build);
  const result: ContainerRecord[] = [];
  for (const s of services) {
    const hash = await serviceHash(project, s);
    const imageId = (await localImage(imageOf(project, s)))?.id;
    const existing = containersOf(project.name, { services: [s.name] });
    const replicas = o.scale[s.name] ?? s.replicas;
    // Chapter 11's plan (the learner's servicePlan) says what becomes of each container.
    const plan = (await chapter.compose()).servicePlan(
      existing.map((c) => ({ id: c.id, number: numberOf(c), hash: c.labels?.[LABEL.hash] ?? '', imageId: c.imageId })),
      { replicas, hash, imageId, forceRecreate: o.forceRecreate, noRecreate: o.noRecreate },
    );
    const inherited = new Map<number, Record<string, string>>(); // a recreated container's anonymous volumes, for its successor
    for (const c of existing) {
      if (plan.remove.includes(c.id)) await removeOne(c, o.timeout, true); // scaled down: its anonymous volumes go too
      else if (plan.recreate.includes(c.id)) {
        say('Container', c.name, 'Recreate');
        inherited.set(numberOf(c), Object.fromEntries(c.mounts.filter((m) => m.anonymous).map((m) => [m.target, m.source])));
        await removeOne(c, o.timeout);
      }
    }
    const mine: ContainerRecord[] = existing.filter((c) => plan.keep.includes(c.id));
    for (const n of plan.create) {
      const name = containerName(project, s, n);
      say('Container', name, 'Creating');
      mine.push(await createServiceContainer(project, s, hash, { number: n, anonymousVolumes: inherited.get(n) }));
      say('Container', name, 'Created');
    }
    mine.sort((a, b) => numberOf(a) - numberOf(b));
    if (!o.noStart) {
      await waitForDependencies(project, s);
      for (const c of mine) {
        const fresh = loadContainer(c.id)!;
        if (fresh.status === 'running' || fresh.status === 'restarting') say('Container', c.name, 'Running');
        else await startOne(fresh);
      }
    }
    result.push(...mine);
  }
  return result;
}

/** up --wait: every container running (healthy, if it has a check); a job others wait to complete may end with 0. */
export async function waitHealthy(project: Project, containers: ContainerRecord[], timeoutMs: number): Promise<void> {
  const jobs = new Set(Object.values(project.services).flatMap((s) => Object.entries(s.dependsOn).filter(([, d]) => d.condition === 'service_completed_successfully').map(([n]) => n)));
  for (const c of containers) {
    const service = serviceOf(c);
    await waitFor(c.id, (r) => {
      if (!r) return `container ${c.name} was removed`;
      if (r.status === 'exited') return jobs.has(service) && r.exitCode === 0 ? 'ok' : `container ${c.name} exited (${r.exitCode})`;
      if (!r.healthcheck) return r.status === 'running' ? 'ok' : 'wait';
      if (r.health?.status === 'unhealthy') return `container ${c.name} is unhealthy`;
      return r.health?.status === 'healthy' ? 'ok' : 'wait';
    }, timeoutMs);
    say('Container', c.name, loadContainer(c.id)?.status === 'exited' ? 'Exited' : 'Healthy');
  }
}

/** Each container's log size now: an attached up shows only what comes after. */
export function logOffsets(containers: ContainerRecord[]): Map<string, number> {
  return new Map(containers.map((c) => {
    try {
      return [c.id, statSync(logPath(c.id)).size];
    } catch {
      return [c.id, 0];
    }
  }));
}
