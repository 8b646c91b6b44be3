// carton inspect: a container's record as JSON, in the shape of `docker inspect`.
import type { Command } from '../command.js';
import { requireOperands, UsageError } from '../args.js';
import { CartonError, q } from '../../sys/index.js';
import { findImage, openStore } from '../../runtime/images.js';
import { imageShape } from './images.js';
import { reconcile } from '../../runtime/lifecycle.js';
import { findContainer, type ContainerRecord, type JoinedNetwork } from '../../runtime/state.js';

/** Docker's NetworkSettings.Networks: each network the container is on, its address while it runs. */
function networksShape(c: ContainerRecord): Record<string, unknown> {
  const first = c.resources.network as JoinedNetwork | undefined;
  const joined = [...(first ? [{ ...first, index: 0 }] : []), ...((c.resources.networks ?? []) as JoinedNetwork[])];
  const primary = c.network ?? 'bridge'; // 'none' after disconnecting it: listed only if nothing else is
  const names = [...(primary === 'none' && c.networks?.length ? [] : [primary]), ...(c.networks ?? []).map((n) => n.name)];
  return Object.fromEntries(names.map((name) => {
    const now = c.status === 'running' || c.status === 'paused' ? joined.find((j) => j.name === name) : undefined;
    const aliases = (c.networks ?? []).find((n) => n.name === name)?.aliases ?? [];
    return [name, { Aliases: aliases, IPAddress: now?.address ?? '', Interface: now ? `eth${now.index}` : '' }];
  }));
}

export function dockerShape(c: ContainerRecord): Record<string, unknown> {
  return {
    Id: c.id,
    Created: c.created,
    Path: c.argv[0],
    Args: c.argv.slice(1),
    State: {
      Status: c.status, Running: c.status === 'running', Paused: c.status === 'paused', OOMKilled: c.oomKilled,
      Pid: c.pid ?? 0, ExitCode: c.exitCode ?? 0, Error: c.error ?? '', StartedAt: c.started ?? '', FinishedAt: c.finished ?? '',
    },
    Image: c.imageId ?? c.image,
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    HostConfig: { AutoRemove: c.autoRemove, RestartPolicy: { Name: c.restart.policy, MaximumRetryCount: c.restart.maxRetries }, Init: c.init },
    Config: {
      Hostname: c.hostname, User: c.user ? `${c.user.uid}:${c.user.gid}` : '', Env: c.env, Cmd: c.argv, Image: c.image,
      WorkingDir: c.cwd, Tty: c.tty, OpenStdin: c.interactive,
    },
    NetworkSettings: { Networks: networksShape(c) },
    GraphDriver: { Name: 'carton', Data: { RootFs: c.rootfs } },
    Carton: { Resources: c.resources, MonitorPid: c.monitorPid ?? 0 },
  };
}

/** A container, else an image (as `docker inspect` looks for both); --type picks one. */
async function inspectObject(ref: string, type: string | undefined): Promise<Record<string, unknown>> {
  if (type !== undefined && type !== 'container' && type !== 'image') throw new UsageError(`unknown --type ${q(type)}`, 'use container or image');
  if (type !== 'image') {
    try {
      return dockerShape(findContainer(ref));
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
    { name: 'format', short: 'f', kind: 'string', value: 'string', description: 'A field path to print, e.g. \'{{.State.Status}}\'' },
    { name: 'type', kind: 'string', value: 'string', description: 'Only look for a container or an image' },
  ],
  async run(flags, operands) {
    requireOperands('inspect', operands, 1);
    reconcile();
    const shaped = await Promise.all(operands.map((ref) => inspectObject(ref, flags.type as string | undefined)));
    if (typeof flags.format === 'string') {
      for (const s of shaped) {
        const text = (flags.format as string).replace(/\{\{\s*\.([\w.]+)\s*\}\}/g, (_, path: string) => {
          const value = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], s);
          return typeof value === 'object' ? JSON.stringify(value) : String(value);
        });
        process.stdout.write(text + '\n');
      }
    } else process.stdout.write(JSON.stringify(shaped, null, 4) + '\n');
    return 0;
  },
};
