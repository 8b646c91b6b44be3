// carton build: a Dockerfile's stages, one instruction at a time, as Docker's builder runs
// them. RUN is a container made from the image so far (through the runtime, like carton
// run), whose changes become a layer; COPY and ADD write into a container's filesystem
// (an overlay of the image so far, with the container's own upper directory), whose changes
// become a layer; ENV, CMD, WORKDIR and the rest change the config only. Each step that
// makes a layer is looked up in the build cache first.
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDuration } from '../runtime/duration.js';
import { CartonError, q } from '../sys/index.js';
import { chapter } from '../impl.js';
import * as engine from '../runtime/engine.js';
import { containerLayer } from '../runtime/state.js';
import { withContainerRoot } from '../runtime/container-fs.js';
import { openStore, resolveImage, type Store } from '../runtime/images.js';
import { parseUser } from '../runtime/user.js';
import { runRoot } from '../runtime/paths.js';
import { emptyConfig } from '../../solutions/07-images/archive-commit.js';
import { hostPlatform } from '../../solutions/07-images/platform.js';
import { applyChange, words } from '../../solutions/07-images/change.js';
import type { ImageConfig, ImageInfo } from '../../solutions/07-images/types.js';
import type { Instruction } from '../../solutions/10-build/dockerfile.js';
import { cacheKey, lookup, remember } from './cache.js';
import { configImage, layerImage } from './image.js';
import { findSources, hashSources, isArchiveHead, type Source } from './sources.js';
import { writeSources } from './write.js';
import type { BuildProgress, Step } from './progress.js';

export interface BuildOptions {
  context: string;
  /** The Dockerfile's text and the name errors use. */
  dockerfile: { text: string; name: string };
  tags: string[];
  buildArgs: Record<string, string | undefined>;
  target?: string;
  noCache: boolean;
  pull: boolean;
  network: string;
  labels: Record<string, string>;
  /** Where each step, its output (a RUN's, a pull's) and its end are shown. */
  progress: BuildProgress;
}

interface Stage {
  name?: string;
  index: number;
  from: Instruction;
  base: string;
  instructions: Instruction[];
}

interface State {
  image?: ImageInfo;
  config: ImageConfig;
  /** ARG values in scope (declared in this stage, or global ones redeclared). */
  args: Record<string, string>;
  shell: string[];
  /** CMD came from the base image: an ENTRYPOINT here resets it, as Docker does. */
  cmdInherited: boolean;
}

// Dockerfile instructions that change the config only, through chapter 07's --change code.
const CONFIG_ONLY = ['ENV', 'LABEL', 'EXPOSE', 'VOLUME', 'STOPSIGNAL', 'USER', 'WORKDIR', 'CMD', 'ENTRYPOINT'];
// Where Docker replaces $VARIABLES (RUN, CMD and ENTRYPOINT are the shell's business).
const EXPANDED = ['ADD', 'COPY', 'ENV', 'EXPOSE', 'FROM', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'];

export async function build(options: BuildOptions): Promise<ImageInfo> {
  const build10 = await chapter.build();
  const { store } = await openStore();
  const definition = options.progress.step(`[internal] load build definition from ${basename(options.dockerfile.name)}`);
  const file = await within(definition, async () => build10.parseDockerfile(options.dockerfile.text, options.dockerfile.name));
  definition.done();
  const located = (ins: Instruction, message: string, hint?: string) => new CartonError(`${options.dockerfile.name}:${ins.line}: ${ins.keyword}: ${message}`, hint);
  const fail = (ins: Instruction, message: string, hint?: string): never => {
    throw located(ins, message, hint);
  };
  /** `fn` as the step of `ins`: a failure names the Dockerfile's line (once), is shown on `step`, and goes on up. */
  const stepOf = <T>(ins: Instruction, step: Step | undefined, fn: () => Promise<T>): Promise<T> => within(step, () => fn().catch((error: unknown) => {
    throw error instanceof CartonError && !error.message.startsWith(options.dockerfile.name) ? located(ins, error.message, error.hint) : error;
  }));
  const expand = (text: string, vars: Record<string, string>) => build10.expand(text, vars, file.escape);

  // ARGs before the first FROM are global: they may be used in FROM lines, and redeclared.
  const global: Record<string, string> = {};
  let i = 0;
  for (; file.instructions[i].keyword === 'ARG'; i++) Object.assign(global, declareArg(file.instructions[i], options.buildArgs, global, expand));
  const stages: Stage[] = [];
  for (const ins of file.instructions.slice(i)) {
    if (ins.keyword === 'FROM') {
      const parts = words(expand(ins.args, global), ins.original);
      const as = parts.length === 3 && parts[1].toLowerCase() === 'as' ? parts[2].toLowerCase() : undefined;
      if (parts.length !== 1 && !as) fail(ins, `expected FROM IMAGE [AS NAME], not ${q(ins.args)}`);
      stages.push({ name: as, index: stages.length, from: ins, base: parts[0], instructions: [] });
    } else stages[stages.length - 1].instructions.push(ins);
  }
  const find = (ref: string) => stages.find((s) => s.name === ref.toLowerCase() || String(s.index) === ref);
  const target = options.target ? find(options.target) : stages[stages.length - 1];
  if (!target) throw new CartonError(`target stage ${q(options.target!)} could not be found`, `the stages are: ${stages.map((s) => s.name ?? s.index).join(', ')}`);

  // Only the stages the target needs, through FROM <stage> and COPY --from=<stage> (chapter
  // 10's neededStages, the learner's with CARTON_IMPL=exercises).
  const refs = stages.map((st) => ({ name: st.name, index: st.index, base: st.base, copyFrom: st.instructions.map((ins) => ins.flags.from).filter((f): f is string => !!f) }));
  const neededIndices = new Set(build10.neededStages(refs, refs[target.index]));
  const needed = new Set(stages.filter((st) => neededIndices.has(st.index)));

  const built = new Map<Stage, ImageInfo | undefined>();
  for (const stage of stages.filter((s) => needed.has(s))) {
    // BuildKit's names: [2/4] in the last stage unless it is named, [build 2/4], [stage-0 2/4].
    const who = stage.name ?? (stage === stages[stages.length - 1] ? '' : `stage-${stage.index}`);
    let position = 0;
    let count = 1 + stage.instructions.filter(shown).length;
    const label = () => `[${who ? `${who} ` : ''}${++position}/${count}]`;
    const from = options.progress.step(`${label()} FROM ${stage.base}`);
    const state = await stepOf(stage.from, from, () => baseState(stage, find, built, options, from));
    from.done();
    const triggers = takeTriggers(state, stage.from, build10.parseDockerfile, options.dockerfile.name);
    count += triggers.filter(shown).length;
    for (const ins of [...triggers, ...stage.instructions]) {
      const text = EXPANDED.includes(ins.keyword) ? expand(ins.args, { ...global, ...state.args, ...envOf(state.config) }) : ins.args;
      // Instructions that change the config only are not steps of their own, as in BuildKit.
      const step = shown(ins) ? options.progress.step(`${label()} ${ins.original}`) : undefined;
      const hit = await stepOf(ins, step, () => apply(ins, text, state, { options, store, find, built, global, expand, fail, step }));
      if (hit) step?.cached();
      else step?.done();
    }
    // Only the target becomes an image of its own; an earlier stage is read for its layers.
    built.set(stage, stage === target ? materialize(store, state, options.noCache) : state.image);
  }
  let image = built.get(target);
  const config = structuredClone(image?.config ?? emptyConfig());
  if (Object.keys(options.labels).length) {
    config.config = { ...config.config, Labels: { ...config.config?.Labels, ...options.labels } };
    image = configImage(store, image, config);
  }
  if (!image) image = configImage(store, undefined, config); // FROM scratch and nothing else
  for (const tag of options.tags) store.withLock(() => store.tag(image!.id, tag));
  return store.find(image.id)!;
}

/** Whether an instruction is a step of the progress display: those that make a layer, as BuildKit's. */
const shown = (ins: Instruction) => ['RUN', 'COPY', 'ADD', 'WORKDIR'].includes(ins.keyword);

/** `fn`, with its failure shown on `step` before it goes on up. */
async function within<T>(step: Step | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    step?.error(error instanceof Error ? error.message : String(error));
    throw error;
  }
}

/** What of a config a step's result depends on: not the times it carries. */
function stable(config: ImageConfig): unknown {
  return { config: config.config ?? {}, layers: config.rootfs.diff_ids, history: (config.history ?? []).map((h) => h.created_by ?? '') };
}

function envOf(config: ImageConfig): Record<string, string> {
  return Object.fromEntries((config.config?.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

function declareArg(ins: Instruction, buildArgs: BuildOptions['buildArgs'], vars: Record<string, string>, expand: (t: string, v: Record<string, string>) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of words(ins.args, ins.original)) {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    const given = buildArgs[name];
    if (given !== undefined) out[name] = given;
    else if (eq >= 0) out[name] = expand(word.slice(eq + 1), { ...vars, ...out });
    else if (vars[name] !== undefined) out[name] = vars[name]; // a global ARG redeclared without a value
  }
  return out;
}

async function baseState(stage: Stage, find: (ref: string) => Stage | undefined, built: Map<Stage, ImageInfo | undefined>, options: BuildOptions, step: Step): Promise<State> {
  let image: ImageInfo | undefined;
  const previous = find(stage.base);
  const platform = stage.from.flags.platform;
  if (platform && !sameAsHost(platform)) throw new CartonError(`${options.dockerfile.name}:${stage.from.line}: FROM --platform=${platform}: carton builds for this machine's platform only`);
  if (previous && previous.index < stage.index) image = built.get(previous);
  else if (stage.base !== 'scratch') image = await resolveImage(stage.base, { pull: options.pull ? 'always' : 'missing', platform, notice: (t) => step.output(t.trimEnd()) });
  const config = structuredClone(image?.config ?? emptyConfig());
  return { image, config, args: {}, shell: config.config?.Shell ?? ['/bin/sh', '-c'], cmdInherited: !!config.config?.Cmd };
}

function sameAsHost(platform: string): boolean {
  const host = hostPlatform();
  const [os, architecture, variant] = platform.split('/');
  return os === host.os && architecture === host.architecture && (!variant || variant === host.variant);
}

/**
 * The base image's ONBUILD triggers, as instructions to run first (Docker runs them right
 * after FROM), and the config without them: they are not passed on to this image's users.
 */
function takeTriggers(state: State, from: Instruction, parse: (text: string, name: string) => { instructions: Instruction[] }, file: string): Instruction[] {
  const triggers = state.config.config?.OnBuild ?? [];
  if (!triggers.length) return [];
  if (state.config.config) delete state.config.config.OnBuild;
  return triggers.map((trigger) => {
    const [, ins] = parse(`FROM scratch\n${trigger}\n`, file).instructions;
    if (['ONBUILD', 'FROM', 'MAINTAINER'].includes(ins.keyword)) throw new CartonError(`${file}:${from.line}: the base image's ONBUILD ${ins.keyword} is not allowed`);
    return { ...ins, line: from.line };
  });
}

/**
 * The state as an image: a config-only one when config changes came after the last layer.
 * Cached like a step, so that a build whose every step is cached gives the same image ID.
 */
function materialize(store: Store, state: State, noCache: boolean): ImageInfo | undefined {
  if (!state.image && state.config.rootfs.diff_ids.length === 0 && !Object.keys(state.config.config ?? {}).length) return undefined;
  const key = `final-${cacheKey(['CONFIG', state.image?.id ?? 'scratch', stable(state.config)])}`; // not hidden: see cachedImages
  if (state.image && JSON.stringify(state.image.config) === JSON.stringify(state.config)) {
    remember(key, state.image.id); // the last step's image is the result
    return state.image;
  }
  const cached = noCache ? undefined : lookup(key);
  const hit = cached ? store.find(cached) : undefined;
  state.image = hit ?? configImage(store, state.image, state.config);
  if (!hit) remember(key, state.image.id);
  return state.image;
}

interface Context {
  options: BuildOptions;
  store: Store;
  find: (ref: string) => Stage | undefined;
  built: Map<Stage, ImageInfo | undefined>;
  global: Record<string, string>;
  expand: (text: string, vars: Record<string, string>) => string;
  fail: (ins: Instruction, message: string, hint?: string) => never;
  /** The instruction's step on the progress display (none for config-only instructions). */
  step?: Step;
}

/** Carry out one instruction; true when its result came from the cache. */
async function apply(ins: Instruction, text: string, state: State, ctx: Context): Promise<boolean> {
  const history = (createdBy: string) => (state.config.history = [...(state.config.history ?? []), { created: new Date().toISOString(), created_by: createdBy, empty_layer: true }]);
  switch (ins.keyword) {
    case 'ARG':
      Object.assign(state.args, declareArg(ins, ctx.options.buildArgs, { ...ctx.global, ...state.args }, ctx.expand));
      history(`ARG ${ins.args}`);
      return false;
    case 'SHELL':
      if (!ins.json?.length) ctx.fail(ins, 'SHELL needs the JSON form, e.g. SHELL ["/bin/bash", "-c"]');
      state.shell = ins.json!;
      state.config.config = { ...state.config.config, Shell: ins.json! };
      history(`SHELL ${ins.args}`);
      return false;
    case 'MAINTAINER':
      state.config.author = text;
      return false;
    case 'ONBUILD':
      state.config.config = { ...state.config.config, OnBuild: [...(state.config.config?.OnBuild ?? []), ins.args] };
      history(`ONBUILD ${ins.args}`);
      return false;
    case 'HEALTHCHECK':
      state.config.config = { ...state.config.config, Healthcheck: healthcheck(ins) };
      history(`HEALTHCHECK ${ins.args}`);
      return false;
    case 'RUN':
      return run(ins, state, ctx);
    case 'COPY':
    case 'ADD':
      return copy(ins, text, state, ctx);
  }
  if (CONFIG_ONLY.includes(ins.keyword)) {
    state.config.config = applyChange(state.config.config ?? {}, `${ins.keyword} ${text}`);
    if (ins.keyword === 'CMD') state.cmdInherited = false;
    if (ins.keyword === 'ENTRYPOINT' && state.cmdInherited) {
      state.config.config.Cmd = null; // an ENTRYPOINT resets the CMD it inherited
      state.cmdInherited = false;
    }
    history(`${ins.keyword} ${text}`);
    return false;
  }
  return ctx.fail(ins, 'not supported by carton build yet');
}

function healthcheck(ins: Instruction): NonNullable<NonNullable<ImageConfig['config']>['Healthcheck']> {
  if (/^none$/i.test(ins.args.trim())) return { Test: ['NONE'] };
  const m = /^CMD\s+([\s\S]+)$/i.exec(ins.args.trim());
  if (!m) throw new CartonError('expected HEALTHCHECK [OPTIONS] CMD command, or HEALTHCHECK NONE');
  const names: Record<string, 'Interval' | 'Timeout' | 'StartPeriod' | 'StartInterval'> = { interval: 'Interval', timeout: 'Timeout', 'start-period': 'StartPeriod', 'start-interval': 'StartInterval' };
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(ins.flags)) {
    if (names[name]) out[names[name]] = Math.round(parseDuration(value, `--${name}`) * 1e6);
    else if (name === 'retries' && /^\d+$/.test(value)) out.Retries = Number(value);
    else if (name === 'retries') throw new CartonError(`--retries=${value}: expected a whole number`);
    else throw new CartonError(`unknown HEALTHCHECK option --${name}`, 'the options are --interval, --timeout, --start-period, --start-interval and --retries');
  }
  let json: string[] | undefined;
  try {
    json = JSON.parse(m[1]) as string[];
  } catch {
    json = undefined;
  }
  return { Test: Array.isArray(json) ? ['CMD', ...json] : ['CMD-SHELL', m[1]], ...out };
}

/** An image's layer directories topmost first, as overlay's lowerdir and a record's layers take them. */
const lowersOf = (image: ImageInfo | undefined) => (image ? [...image.layerDirs].reverse() : []);

/** A container of the image so far, not started, for RUN or COPY. */
function stepContainer(state: State, argv: string[], env: string[], network: string) {
  const layers = lowersOf(state.image);
  const c = state.config.config ?? {};
  return engine.create({
    image: state.image?.id ?? 'scratch', imageId: state.image?.id, rootfs: layers[0] ?? '', layers, mounts: [], readOnly: false,
    limits: {}, network, publish: [], argv, env, cwd: c.WorkingDir || '/', user: c.User ? parseUser(c.User, layers) : undefined,
    tty: false, interactive: false, init: false, autoRemove: false, detached: false, restart: { policy: 'no', maxRetries: 0 },
  });
}

/** The step's image from the cache, or made by `make` (which commits before its container goes). */
async function commitStep(state: State, ctx: Context, key: string, make: () => Promise<ImageInfo>): Promise<boolean> {
  const cached = ctx.options.noCache ? undefined : lookup(key);
  const image = (cached && ctx.store.find(cached)) || undefined;
  const next = image ?? (await make());
  if (!image) remember(key, next.id);
  state.image = next;
  state.config = structuredClone(next.config);
  return !!image;
}

async function run(ins: Instruction, state: State, ctx: Context): Promise<boolean> {
  const bare = /^<<-?(["']?)[A-Za-z_][A-Za-z0-9_]*\1\s*$/.test(ins.args);
  const body = ins.heredocs.map((h) => `${h.text}${h.name}\n`).join('');
  const argv = ins.json ?? (bare ? [...state.shell, ins.heredocs[0].text] : [...state.shell, ins.heredocs.length ? `${ins.args}\n${body}` : ins.args]);
  const network = ins.flags.network ?? ctx.options.network;
  // ARG values are the command's environment (not the image's); ENV wins over an ARG.
  const imageEnv = envOf(state.config);
  const env = [...Object.entries(state.args).filter(([k]) => !(k in imageEnv)).map(([k, v]) => `${k}=${v}`), ...(state.config.config?.Env ?? [])];
  if (!env.some((e) => e.startsWith('PATH='))) env.unshift('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  const createdBy = ins.json ? `RUN ${JSON.stringify(ins.json)}` : `RUN ${argv.join(' ')}`;
  const key = cacheKey(['RUN', state.image?.id ?? 'scratch', stable(state.config), argv, env, network]);
  return commitStep(state, ctx, key, async () => {
    if (!state.image) ctx.fail(ins, 'cannot RUN in an image FROM scratch: it has no shell');
    const record = stepContainer(state, argv, env, network);
    try {
      let pending = '';
      const output = (_stream: 'stdout' | 'stderr', data: Buffer) => {
        pending += data.toString();
        for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
          ctx.step?.output(pending.slice(0, nl));
          pending = pending.slice(nl + 1);
        }
      };
      const status = await engine.runToEnd(record, output);
      if (pending) ctx.step?.output(pending);
      if (status !== 0) ctx.fail(ins, `${q(argv.slice(ins.json ? 0 : state.shell.length).join(' '))} returned a non-zero code: ${status}`);
      // The layer is written before the container (and its upper directory) goes.
      return await layerImage(ctx.store, state.image, containerLayer(record.id).upper, state.config, createdBy);
    } finally {
      await engine.remove(record, { force: true }).catch(() => {});
    }
  });
}

async function copy(ins: Instruction, text: string, state: State, ctx: Context): Promise<boolean> {
  const [security, build10] = await Promise.all([chapter.security(), chapter.build()]);
  const items = ins.json ?? words(text, ins.original);
  if (ins.heredocs.length === 0 && items.length < 2) ctx.fail(ins, `needs a source and a destination: ${ins.keyword} SRC... DEST`);
  const dest = items[items.length - 1];
  let patterns = items.slice(0, -1);
  const isUrl = (p: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(p);
  const urls = ins.keyword === 'ADD' && patterns.some(isUrl);
  if (urls && !patterns.every(isUrl)) ctx.fail(ins, 'mixing URLs and local paths in one ADD is not supported by carton build', 'write one ADD for the URLs, another for the files');
  if (ins.keyword === 'COPY' && patterns.some(isUrl)) ctx.fail(ins, 'COPY does not take URLs: use ADD');
  const { uid, gid } = ins.flags.chown ? chownOf(ins.flags.chown, state) : { uid: 0, gid: 0 };
  const chmod = ins.flags.chmod ? parseInt(ins.flags.chmod, 8) : undefined;
  if (ins.flags.chmod && (!/^[0-7]{3,4}$/.test(ins.flags.chmod))) ctx.fail(ins, `--chmod=${ins.flags.chmod}: expected an octal mode such as 755`);

  // Where the sources are: the context (minus .dockerignore), a here-document, or --from.
  let sources: Source[];
  const scratchDirs: string[] = [];
  const from = ins.flags.from;
  const read = async <T>(fn: (root: string, where: string, ignored: (rel: string) => boolean) => Promise<T>): Promise<T> => {
    if (urls) {
      const dir = mkdtempSync(join(runRoot(), 'download-'));
      scratchDirs.push(dir);
      patterns = [];
      for (const url of items.slice(0, -1)) patterns.push(await download(url, dir));
      return fn(dir, 'download', () => false);
    }
    if (ins.heredocs.length) {
      const dir = mkdtempSync(join(runRoot(), 'heredoc-'));
      scratchDirs.push(dir);
      for (const h of ins.heredocs) writeFileSync(join(dir, h.name), h.text);
      patterns = ins.heredocs.map((h) => h.name);
      return fn(dir, 'here-document', () => false);
    }
    if (!from) return fn(ctx.options.context, 'build context', await contextIgnore(ctx.options));
    const stage = ctx.find(from);
    const image = stage ? ctx.built.get(stage) : await resolveImage(from, { pull: 'missing' });
    if (stage && !ctx.built.has(stage)) ctx.fail(ins, `--from=${from}: that stage comes later, or is this one`);
    if (!image) throw new CartonError(`--from=${from}: the stage is empty (FROM scratch)`);
    // A view of the image's layers: withContainerRoot needs only an id and the layers.
    const view = { id: image.id.slice(7), layers: lowersOf(image) } as Parameters<typeof withContainerRoot>[0];
    return withContainerRoot(view, (root) => fn(root, `stage ${from}`, () => false));
  };
  try {
    return await read(async (root, where, ignored) => {
      sources = findSources(root, patterns, ignored, where, build10.patternRegex);
      if (ins.keyword === 'ADD' && !from && !ins.heredocs.length && !urls) sources = await unpackArchives(sources, scratchDirs); // a download is never unpacked, as Docker's
      const key = cacheKey([ins.keyword, state.image?.id ?? 'scratch', stable(state.config), ins.flags, dest, hashSources(sources)]);
      const createdBy = ins.original;
      return commitStep(state, ctx, key, async () => {
        const record = stepContainer(state, ['true'], [], 'none');
        try {
          await withContainerRoot(record, async (target) => {
            writeSources(target, sources, dest, { uid, gid, chmod, workdir: state.config.config?.WorkingDir || '/' }, security, patterns.length > 1 || patterns.some((p) => /[*?[]/.test(p)));
          }, { writable: true });
          return await layerImage(ctx.store, state.image, containerLayer(record.id).upper, state.config, createdBy);
        } finally {
          await engine.remove(record, { force: true }).catch(() => {});
        }
      });
    });
  } finally {
    for (const scratch of scratchDirs) rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * ADD of a URL: fetched by carton (not in a container), saved under the last element of its
 * path with mode 0600 and the server's Last-Modified time, as Docker saves it. Offline
 * (CARTON_OFFLINE=1) only hosts of this machine are asked.
 */
async function download(url: string, dir: string): Promise<string> {
  const { offline } = await import('../runtime/images.js');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CartonError(`${q(url)} is not a URL`);
  }
  if (!['http:', 'https:'].includes(parsed.protocol)) throw new CartonError(`ADD ${q(url)}: only http and https URLs can be downloaded`);
  if (offline(parsed.host)) throw new CartonError(`ADD ${q(url)}: carton is offline (CARTON_OFFLINE=1): it reaches only hosts on this machine`, 'download the file into the context, and COPY it');
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (error) {
    throw new CartonError(`ADD ${q(url)}: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`);
  }
  if (!response.ok) throw new CartonError(`ADD ${q(url)}: the server answered ${response.status} ${response.statusText}`);
  const name = basename(parsed.pathname) || 'download';
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(await response.arrayBuffer()), { mode: 0o600 });
  const modified = response.headers.get('last-modified');
  if (modified && !Number.isNaN(Date.parse(modified))) utimesSync(path, new Date(modified), new Date(modified));
  return name;
}

/**
 * ADD's one difference from COPY here: a local tar archive (plain, gzip or zstd, known by its
 * first bytes, not its name) is unpacked, by chapter 05's layer code (which never writes
 * outside its directory), and its contents copied into the destination directory.
 */
async function unpackArchives(sources: Source[], scratchDirs: string[]): Promise<Source[]> {
  const { applyLayer } = await import('../../solutions/05-overlayfs/layer-apply.js');
  const out: Source[] = [];
  for (const source of sources) {
    const top = source.entries[0];
    if (source.isDir || top.type !== 'file' || !isArchive(top.path)) {
      out.push(source);
      continue;
    }
    const dir = mkdtempSync(join(runRoot(), 'add-'));
    scratchDirs.push(dir);
    await applyLayer(top.path, join(dir, 'tree'));
    out.push(...findSources(join(dir, 'tree'), ['.'], () => false, `archive ${source.name}`, () => /^$/)); // no glob in '.'
  }
  return out;
}

function isArchive(path: string): boolean {
  const head = Buffer.alloc(262);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return isArchiveHead(head);
}

function chownOf(spec: string, state: State): { uid: number; gid: number } {
  const user = parseUser(spec, lowersOf(state.image));
  return { uid: user.uid, gid: user.gid };
}

async function contextIgnore(options: BuildOptions): Promise<(rel: string) => boolean> {
  const build10 = await chapter.build();
  let text = '';
  for (const name of [`${basename(options.dockerfile.name)}.dockerignore`, '.dockerignore']) {
    try {
      text = readFileSync(join(options.context, name), 'utf8');
      break;
    } catch {
      // none
    }
  }
  const rules = build10.parseIgnore(text);
  return (rel) => build10.isIgnored(rules, rel);
}

