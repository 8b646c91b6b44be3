// What a container takes from its image, with Docker's rules for the flags that override it:
// the command (ENTRYPOINT + CMD, where arguments replace CMD and --entrypoint replaces
// ENTRYPOINT and drops CMD), the environment, the working directory, the user and the
// ports it exposes (for -P).
import { resolve } from 'node:path';
import type { Flags } from './args.js';
import { UsageError } from './args.js';
import { resolveImage, singleRootfs } from '../runtime/images.js';
import { featuresAt } from '../runtime/level.js';
import { progressPrinter } from './progress.js';

export interface ImageSpec {
  image: string;
  imageId?: string;
  rootfs: string;
  /** Read-only layers, topmost first. */
  layers: string[];
  argv: string[];
  /** The image's Env (KEY=VALUE), applied before --env-file and -e. */
  env: string[];
  cwd: string;
  /** The image's USER, unless -u overrides it. */
  user?: string;
  exposedPorts: string[];
  /** The image's labels, which the container starts with (--label adds to them). */
  labels: Record<string, string>;
  /** The image's VOLUMEs: each gets an anonymous volume. */
  volumes: string[];
  /** The image's HEALTHCHECK (durations in ns), which --health-* change. */
  healthcheck?: { Test?: string[] | null; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number };
}

/** The command: Docker's ENTRYPOINT/CMD rules. */
export function commandLine(entrypointFlag: string | undefined, args: string[], entrypoint: string[] | null | undefined, cmd: string[] | null | undefined): string[] {
  const first = entrypointFlag !== undefined ? (entrypointFlag === '' ? [] : [entrypointFlag]) : (entrypoint ?? []);
  const rest = args.length ? args : entrypointFlag !== undefined ? [] : (cmd ?? []);
  return [...first, ...rest];
}

/** Resolve IMAGE (or --rootfs DIR) into what the container record needs. */
export async function imageSpec(flags: Flags, operands: string[], level: number): Promise<ImageSpec> {
  const entrypoint = flags.entrypoint as string | undefined;
  if (flags.rootfs) {
    const rootfs = resolve(flags.rootfs as string);
    const argv = commandLine(entrypoint, operands, undefined, ['/bin/sh']);
    return { image: flags.rootfs as string, rootfs, layers: [rootfs], argv, env: [], cwd: '/', exposedPorts: [], labels: {}, volumes: [] };
  }
  const ref = operands[0];
  const quiet = !!flags.quiet;
  const image = await resolveImage(ref, {
    pull: flags.pull as string | undefined,
    platform: flags.platform as string | undefined,
    progress: quiet ? undefined : progressPrinter(process.stderr),
    notice: quiet ? undefined : (text) => process.stderr.write(text),
  });
  const config = image.config.config ?? {};
  const argv = commandLine(entrypoint, operands.slice(1), config.Entrypoint, config.Cmd);
  if (argv.length === 0) throw new UsageError('no command specified', `the image ${ref} has no CMD or ENTRYPOINT: give a command after the image name`);
  return {
    image: ref, imageId: image.id,
    rootfs: featuresAt(level).overlay ? image.layerDirs[0] : singleRootfs(image, ref),
    layers: [...image.layerDirs].reverse(),
    argv, env: config.Env ?? [], cwd: config.WorkingDir || '/', user: config.User || undefined,
    exposedPorts: Object.keys(config.ExposedPorts ?? {}),
    labels: config.Labels ?? {},
    volumes: Object.keys(config.Volumes ?? {}).filter((v) => v.startsWith('/')),
    ...(config.Healthcheck ? { healthcheck: config.Healthcheck } : {}),
  };
}
