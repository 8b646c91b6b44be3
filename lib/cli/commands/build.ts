// carton build: an image from a Dockerfile and a context directory (chapter 10).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { runRoot } from '../../runtime/paths.js';
import { join, resolve } from 'node:path';
import type { Command } from '../command.js';
import { requireOperands, UsageError, type Flags } from '../args.js';
import { requireRoot } from '../privileges.js';
import { CartonError, q } from '../../sys/index.js';

function keyValues(list: string[] | undefined, flag: string, fromEnv: boolean): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    if (eq === 0) throw new UsageError(`${flag} ${q(item)}: no name`);
    // --build-arg NAME (no value) takes the variable from carton's environment, as Docker does.
    if (eq < 0) out[item] = fromEnv ? process.env[item] : '';
    else out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

export const build: Command = {
  name: 'build',
  summary: 'Build an image from a Dockerfile',
  usage: '[OPTIONS] PATH | -',
  flags: [
    { name: 'tag', short: 't', kind: 'list', description: 'Name and optionally a tag (name:tag); repeatable' },
    { name: 'file', short: 'f', kind: 'string', value: 'string', description: "Name of the Dockerfile (default: 'PATH/Dockerfile'); - reads it from stdin" },
    { name: 'build-arg', kind: 'list', description: 'Set a build-time variable (NAME=VALUE, or NAME to take it from the environment)' },
    { name: 'target', kind: 'string', value: 'string', description: 'Build this stage, and the stages it needs, only' },
    { name: 'no-cache', kind: 'bool', description: 'Do not use the cache when building the image' },
    { name: 'pull', kind: 'bool', description: 'Always pull the base images' },
    { name: 'network', kind: 'string', value: 'string', description: 'The network of RUN steps: bridge (default), host, none' },
    { name: 'label', kind: 'list', description: 'Set metadata for the image (KEY=VALUE)' },
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Suppress the build output and print the image ID on success' },
    { name: 'iidfile', kind: 'string', value: 'file', description: 'Write the image ID to the file' },
    { name: 'progress', kind: 'string', value: 'string', description: 'auto (tty on a terminal, else plain), plain or tty' },
    { name: 'platform', kind: 'string', value: 'string', description: "Only this machine's platform can be built" },
  ],
  details: `Dockerfile instructions: FROM (an image, scratch, or an earlier stage; AS name; --platform of
this machine), RUN (shell or exec form, here-documents, --network), COPY and ADD (--from,
--chown, --chmod, globs; ADD unpacks local tar, tar.gz and tar.zst archives, and downloads
http(s) URLs: offline, from this machine only), ENV, ARG, WORKDIR, USER, CMD, ENTRYPOINT, EXPOSE, LABEL, VOLUME, STOPSIGNAL, SHELL,
HEALTHCHECK, ONBUILD (run when the image is a base, not passed on), MAINTAINER.
Parser directives (# escape=), comments, continuation lines and .dockerignore as Docker's.
Each RUN is a container of the image so far; each step that makes a layer is cached (carton
builder prune, or system prune, removes the cache).`,
  async run(flags, operands) {
    requireOperands('build', operands, 1, 'PATH');
    if (operands.length > 1) throw new UsageError('build takes one context PATH');
    requireRoot('build');
    // PATH "-": stdin is a tar of the context (plain, gzip or zstd), or a Dockerfile alone
    // with an empty context, as Docker's.
    if (operands[0] !== '-') return buildIn(resolve(operands[0]), operands[0], undefined, flags);
    if (flags.file === '-') throw new UsageError('stdin cannot be both the context and the Dockerfile');
    mkdirSync(runRoot(), { recursive: true });
    const scratch = mkdtempSync(join(runRoot(), 'build-context-'));
    try {
      const input = readFileSync(0);
      mkdirSync(join(scratch, 'context'));
      const { isArchiveHead } = await import('../../build/sources.js');
      if (!isArchiveHead(input)) return await buildIn(join(scratch, 'context'), '-', input.toString('utf8'), flags);
      writeFileSync(join(scratch, 'context.tar'), input);
      const { applyLayer } = await import('../../../solutions/05-overlayfs/layer-apply.js');
      await applyLayer(join(scratch, 'context.tar'), join(scratch, 'context')); // never writes outside it, whatever the tar says
      return await buildIn(join(scratch, 'context'), '-', undefined, flags);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};

/** Build from the directory `context` (`given` as the user wrote it), with the Dockerfile's text when it came on stdin. */
async function buildIn(context: string, given: string, stdinDockerfile: string | undefined, flags: Flags): Promise<number> {
  try {
    if (!statSync(context).isDirectory()) throw new Error();
  } catch {
    throw new CartonError(`unable to prepare context: path ${q(given)} not found, or not a directory`);
  }
  const fileFlag = flags.file as string | undefined;
  const name = fileFlag === '-' || stdinDockerfile !== undefined ? 'Dockerfile' : fileFlag ? resolve(fileFlag) : join(context, 'Dockerfile');
  let text: string;
  try {
    text = stdinDockerfile ?? (fileFlag === '-' ? readFileSync(0, 'utf8') : readFileSync(name, 'utf8'));
  } catch (error) {
    throw new CartonError(`read ${q(name)}: ${(error as NodeJS.ErrnoException).code}`, 'the Dockerfile is PATH/Dockerfile unless -f names another');
  }
  const network = (flags.network as string | undefined) ?? 'bridge';
  if (!['bridge', 'host', 'none'].includes(network)) throw new UsageError(`--network ${q(network)}: a build runs on bridge, host or none`);
  if (flags.progress && !['auto', 'plain', 'tty'].includes(flags.progress as string)) throw new UsageError(`--progress ${q(flags.progress as string)}: use auto, plain or tty`);
  const { hostPlatform } = await import('../../../solutions/07-images/platform.js');
  const platform = hostPlatform();
  const here = `${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''}`;
  if (flags.platform && flags.platform !== here && !here.startsWith(`${flags.platform}/`)) throw new CartonError(`--platform ${flags.platform}: carton builds for this machine (${here}) only`);
  const quiet = !!flags.quiet;
  const mode = (flags.progress as string | undefined) ?? 'auto';
  if (mode === 'tty' && !quiet && !process.stderr.isTTY) throw new UsageError('--progress tty: standard error is not a terminal', 'use --progress plain, or auto');
  const { build: runBuild } = await import('../../build/builder.js');
  const { buildProgress } = await import('../../build/progress.js');
  const progress = buildProgress(mode, process.stderr, quiet);
  // As Docker: a build that fails (a RUN, a missing file, a bad Dockerfile) exits 1.
  const image = await runBuild({
    context, dockerfile: { text, name: fileFlag === '-' ? 'Dockerfile (stdin)' : fileFlag ?? 'Dockerfile' }, tags: (flags.tag as string[] | undefined) ?? [],
    buildArgs: keyValues(flags['build-arg'] as string[] | undefined, '--build-arg', true), target: flags.target as string | undefined,
    noCache: !!flags['no-cache'], pull: !!flags.pull, network, labels: keyValues(flags.label as string[] | undefined, '--label', false) as Record<string, string>,
    progress,
  }).catch((error: unknown) => {
    progress.close(false);
    throw Object.assign(error as Error, { exitCode: 1 });
  });
  const exporting = progress.step('exporting to image');
  exporting.status(`writing image ${image.id} done`);
  for (const tag of image.names) exporting.status(`naming to ${tag} done`);
  exporting.done();
  progress.close(true);
  if (flags.iidfile) writeFileSync(flags.iidfile as string, image.id);
  if (quiet) process.stdout.write(image.id + '\n');
  return 0;
}
