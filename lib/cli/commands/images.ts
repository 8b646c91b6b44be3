// carton images, tag, rmi, history, image inspect, image prune: the local image store
// (chapter 07). The store does the work; these parse, call it once, and print.
import type { Command } from '../command.js';
import type { ImageConfig, ImageInfo } from '../../../solutions/07-images/types.js';
import { requireOperands } from '../args.js';
import { findImage, openStore, type Images, type Store } from '../../runtime/images.js';
import { imagesInUse, layerDirsInUse } from '../../runtime/image-users.js';
import { table, since } from '../format.js';
import { bytes } from '../progress.js';
import { renderError } from '../render.js';
import { CartonError, q } from '../../sys/index.js';
import { emit } from '../../runtime/events.js';
import { INSPECT_FORMAT, printInspected } from '../template.js';

export const shortId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

async function find(images: Images, store: Store, ref: string): Promise<ImageInfo> {
  const image = await findImage(images, store, ref);
  if (!image) throw new CartonError(`no such image: ${ref}`, "see 'carton images'");
  return image;
}

export const images: Command = {
  name: 'images', summary: 'List images', usage: '[OPTIONS] [REPOSITORY[:TAG]]',
  flags: [
    { name: 'all', short: 'a', kind: 'bool', description: 'Show all images (the default hides the build cache\'s intermediate images)' },
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Only show image IDs' },
    { name: 'digests', kind: 'bool', description: 'Show digests' },
    { name: 'no-trunc', kind: 'bool', description: "Don't truncate output" },
    { name: 'format', kind: 'string', value: 'string', description: "'json' for one JSON object per image and name, or a Go template ('table {{.Repository}}\\t{{.Tag}}')" },
    { name: 'filter', short: 'f', kind: 'list', description: 'Filter output based on conditions provided (dangling=true|false, label=KEY[=VALUE], reference=PATTERN, before=IMAGE, since=IMAGE)' },
  ],
  async run(flags, operands) {
    const { parseFilters, matchesFilters, hasLabel } = await import('../../runtime/filters.js');
    const filters = parseFilters((flags.filter as string[] | undefined) ?? [], ['dangling', 'label', 'reference', 'before', 'since']);
    const { images, store } = await openStore();
    for (const b of store.broken()) {
      const name = b.names[0] ? images.shortName(b.names[0]).join(':') : shortId(b.manifestDigest);
      process.stderr.write(`carton: warning: image ${name} (manifest ${shortId(b.manifestDigest)}) is broken: ${b.problem}\nhint: remove it, then pull or load it again: carton rmi ${name}\n`);
    }
    const id = (i: ImageInfo) => (flags['no-trunc'] ? i.id : shortId(i.id));
    const rows: Array<{ repo: string; tag: string; image: ImageInfo }> = [];
    // carton build's intermediate images (one per cached step) stay out of sight, as Docker's.
    const intermediate = flags.all ? new Set<string>() : (await import('../../build/cache.js')).cachedImages();
    for (const image of store.list().filter((i) => i.names.length || !intermediate.has(i.id)).sort((a, b) => Date.parse(b.config.created ?? '') - Date.parse(a.config.created ?? ''))) {
      const names = image.names.length ? image.names.map(images.shortName) : [['<none>', '<none>'] as [string, string]];
      for (const [repo, tag] of names) rows.push({ repo, tag, image });
    }
    const wanted = operands[0] ? images.shortName(operands[0]) : undefined;
    // A tag is a colon after the last slash: the one in REGISTRY:PORT/repo is the port's.
    const tagGiven = operands[0]?.slice(operands[0].lastIndexOf('/') + 1).includes(':');
    const created = (ref: string) => {
      const found = store.find(ref);
      if (!found) throw new CartonError(`no such image: ${ref}`, "see 'carton images'");
      return Date.parse(found.config.created ?? '');
    };
    // reference=PATTERN: Docker's path.Match on the short name, with or without its tag.
    const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
    const shown = rows.filter((r) => !wanted || (r.repo === wanted[0] && (!tagGiven || r.tag === wanted[1]))).filter((r) => matchesFilters(r, filters, {
      dangling: (x, v) => (x.image.names.length === 0) === (v === 'true' || v === '1'),
      label: (x, v) => hasLabel(x.image.config.config?.Labels ?? undefined, v),
      reference: (x, v) => x.repo !== '<none>' && (glob(v).test(x.repo) || glob(v).test(`${x.repo}:${x.tag}`)),
      before: (x, v) => Date.parse(x.image.config.created ?? '') < created(v),
      since: (x, v) => Date.parse(x.image.config.created ?? '') > created(v),
    }));
    if (flags.quiet) {
      process.stdout.write([...new Set(shown.map((r) => id(r.image)))].map((i) => i + '\n').join(''));
    } else if (flags.format === 'json') {
      process.stdout.write(shown.map((r) => JSON.stringify({ Repository: r.repo, Tag: r.tag, ID: id(r.image), Digest: r.image.repoDigests[0]?.split('@')[1] ?? '<none>', CreatedAt: r.image.config.created ?? '', Size: bytes(r.image.size) }) + '\n').join(''));
    } else if (typeof flags.format === 'string' && flags.format !== 'table') {
      const { renderRows } = await import('../template.js');
      const items = shown.map((r) => ({ Repository: r.repo, Tag: r.tag, ID: id(r.image), Digest: r.image.repoDigests[0]?.split('@')[1] ?? '<none>', CreatedAt: r.image.config.created ?? '', CreatedSince: since(r.image.config.created) || 'N/A', Size: bytes(r.image.size) }));
      process.stdout.write(renderRows(flags.format as string, items, { Repository: 'REPOSITORY', Tag: 'TAG', ID: 'IMAGE ID', Digest: 'DIGEST', CreatedAt: 'CREATED AT', CreatedSince: 'CREATED', Size: 'SIZE' }, table));
    } else {
      const head = ['REPOSITORY', 'TAG', ...(flags.digests ? ['DIGEST'] : []), 'IMAGE ID', 'CREATED', 'SIZE'];
      const body = shown.map((r) => [r.repo, r.tag, ...(flags.digests ? [r.image.repoDigests[0]?.split('@')[1] ?? '<none>'] : []), id(r.image), since(r.image.config.created) || 'N/A', bytes(r.image.size)]);
      process.stdout.write(table([head, ...body]));
    }
    return 0;
  },
};

export const tag: Command = {
  name: 'tag', summary: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]', flags: [],
  async run(_flags, operands) {
    requireOperands('tag', operands, 2, 'SOURCE_IMAGE TARGET_IMAGE', true);
    const { images, store } = await openStore();
    await find(images, store, operands[0]);
    store.withLock(() => store.tag(operands[0], operands[1]));
    (await import('../../runtime/events.js')).emit('image', 'tag', (await find(images, store, operands[1])).id, { name: operands[1] });
    return 0;
  },
};

export const rmi: Command = {
  name: 'rmi', summary: 'Remove one or more images', usage: '[OPTIONS] IMAGE [IMAGE...]',
  flags: [{ name: 'force', short: 'f', kind: 'bool', description: 'Force removal of the image (not one a running container uses)' }],
  details: `A name of an image that has other names is only untagged. An image a container uses
is refused; with -f it is removed if that container is stopped (its layers stay until the
container is removed).`,
  async run(flags, operands) {
    requireOperands('rmi', operands, 1, 'IMAGE');
    const { images, store } = await openStore();
    let status = 0;
    for (const ref of operands) {
      try {
        process.stdout.write(removeImage(images, store, ref, !!flags.force));
      } catch (error) {
        process.stderr.write(await renderError(error));
        status = 1;
      }
    }
    collectGarbage(store);
    return status;
  },
};

/** Untag or delete one image; returns Docker's "Untagged:"/"Deleted:" lines. */
export function removeImage(images: Images, store: Store, ref: string, force: boolean): string {
  return store.withLock(() => {
    // An image whose blobs cannot be read goes whole, names and all: the containers that
    // use it keep their layers (gc spares them), and nothing else can be learnt from it.
    const broken = store.findBroken(ref);
    if (broken) {
      store.remove(broken.manifestDigest);
      emit('image', 'delete', broken.manifestDigest, { name: broken.names[0] ? images.shortName(broken.names[0]).join(':') : broken.manifestDigest });
      return broken.names.map((n) => `Untagged: ${images.shortName(n).join(':')}\n`).join('') + `Deleted: ${broken.manifestDigest}\n`;
    }
    const image = store.find(ref);
    if (!image) throw new CartonError(`no such image: ${ref}`, "see 'carton images'");
    const name = fullName(images, ref);
    if (name && image.names.includes(name) && image.names.length > 1) {
      store.untag(name);
      emit('image', 'untag', image.id, { name: images.shortName(name).join(':') });
      return `Untagged: ${images.shortName(name).join(':')}\n`;
    }
    const users = imagesInUse().get(image.id) ?? [];
    const running = users.filter((c) => c.status === 'running' || c.status === 'paused');
    if (running.length) throw new CartonError(`conflict: unable to remove image ${q(ref)} (cannot be forced): it is used by running container ${running[0].id.slice(0, 12)} (${running[0].name})`, 'stop and remove the container first');
    if (users.length && !force) throw new CartonError(`conflict: unable to remove image ${q(ref)}: it is used by stopped container ${users[0].id.slice(0, 12)} (${users[0].name})`, 'remove the container first, or use rmi -f');
    if (image.names.length > 1 && !force) throw new CartonError(`conflict: unable to delete image ${q(ref)}: it is referenced in ${image.names.length} repositories`, 'remove it by name, or use rmi -f');
    const lines = image.names.map((n) => `Untagged: ${images.shortName(n).join(':')}\n`);
    store.remove(image.id);
    for (const n of image.names) emit('image', 'untag', image.id, { name: images.shortName(n).join(':') });
    emit('image', 'delete', image.id, { name: image.names[0] ? images.shortName(image.names[0]).join(':') : image.id });
    return lines.join('') + `Deleted: ${image.id}\n`;
  });
}

/** The full name `ref` spells, or undefined when it is no name (an ID, say). */
function fullName(images: Images, ref: string): string | undefined {
  try {
    return images.fullName(ref);
  } catch {
    return undefined;
  }
}

/** Free blobs and layers no image and no container needs. */
export function collectGarbage(store: Store): { blobs: number; layers: number; bytes: number } {
  return store.withLock(() => store.gc(layerDirsInUse()));
}

export const history: Command = {
  name: 'history', summary: 'Show the history of an image', usage: '[OPTIONS] IMAGE',
  flags: [{ name: 'no-trunc', kind: 'bool', description: "Don't truncate output" }, { name: 'quiet', short: 'q', kind: 'bool', description: 'Only show image IDs' }],
  async run(flags, operands) {
    requireOperands('history', operands, 1, 'IMAGE', true);
    const { images, store } = await openStore();
    const image = await find(images, store, operands[0]);
    const entries: NonNullable<ImageConfig['history']> = image.config.history ?? image.manifest.layers.map(() => ({}));
    let layer = 0;
    const rows = entries.map((h) => {
      const size = h.empty_layer ? 0 : (image.manifest.layers[layer++]?.size ?? 0);
      const by = h.created_by ?? '';
      return [by, since(h.created) || 'N/A', flags['no-trunc'] || by.length <= 45 ? by : by.slice(0, 44) + '…', bytes(size), h.comment ?? ''];
    }).reverse();
    const ids = rows.map((_, i) => (i === 0 ? (flags['no-trunc'] ? image.id : shortId(image.id)) : '<missing>'));
    if (flags.quiet) process.stdout.write(ids.map((i) => i + '\n').join(''));
    else process.stdout.write(table([['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'], ...rows.map((r, i) => [ids[i], ...r.slice(1)])]));
    return 0;
  },
};

/** An image in the shape of `docker image inspect`. */
export function imageShape(images: Images, image: ImageInfo): Record<string, unknown> {
  const c = image.config;
  return {
    Id: image.id, RepoTags: image.names.map((n) => images.shortName(n).join(':')), RepoDigests: image.repoDigests,
    Created: c.created ?? '', Author: c.author ?? '', Architecture: c.architecture, Os: c.os, ...(c.variant ? { Variant: c.variant } : {}),
    Config: c.config ?? {}, Size: image.size,
    RootFS: { Type: 'layers', Layers: c.rootfs.diff_ids },
    GraphDriver: { Name: 'overlay', Data: { LowerDir: [...image.layerDirs].reverse().join(':') } },
    Carton: { ManifestDigest: image.manifestDigest },
  };
}

export const imageInspect: Command = {
  name: 'image inspect', summary: 'Display detailed information on one or more images', usage: 'IMAGE [IMAGE...]', flags: [INSPECT_FORMAT],
  async run(flags, operands) {
    requireOperands('image inspect', operands, 1, 'IMAGE');
    const { images, store } = await openStore();
    const found = [];
    for (const ref of operands) found.push(imageShape(images, await find(images, store, ref)));
    printInspected(found as never[], flags.format);
    return 0;
  },
};

/** Remove dangling images (all unused ones with `all`) and the blobs and layers they freed. */
/**
 * Remove dangling images (with `all`, every unused one). The build cache's intermediate images
 * stay unless `buildCache` (carton builder prune, system prune), as Docker's build cache does.
 */
export async function pruneImages(all: boolean, buildCache = false): Promise<{ lines: string; bytes: number }> {
  const { images, store } = await openStore();
  const used = imagesInUse();
  const { cachedImages, clearCache } = await import('../../build/cache.js');
  const cache = cachedImages();
  if (buildCache) clearCache();
  const out: string[] = [];
  for (const image of store.list()) {
    if (used.has(image.id) || (!all && image.names.length) || (!buildCache && cache.has(image.id))) continue;
    out.push(removeImage(images, store, image.id, true));
  }
  return { lines: out.join(''), bytes: collectGarbage(store).bytes };
}

export const builderPrune: Command = {
  name: 'builder prune', summary: 'Remove the build cache', usage: '[OPTIONS]',
  flags: [{ name: 'all', short: 'a', kind: 'bool', description: 'Remove all unused build cache (carton has only that kind)' }, { name: 'force', short: 'f', kind: 'bool', description: 'Do not prompt for confirmation (carton never prompts)' }],
  async run() {
    const { cachedImages } = await import('../../build/cache.js');
    const { store } = await openStore();
    const named = new Set(store.list().filter((i) => i.names.length).map((i) => i.id));
    const before = [...cachedImages()].filter((id) => !named.has(id));
    const { bytes: freed } = await pruneImages(false, true);
    process.stdout.write(`${before.length ? `Deleted build cache objects:\n${before.map((id) => id.slice(7, 19) + '\n').join('')}\n` : ''}Total reclaimed space: ${bytes(freed)}\n`);
    return 0;
  },
};

export const imagePrune: Command = {
  name: 'image prune', summary: 'Remove unused images', usage: '[OPTIONS]',
  flags: [{ name: 'all', short: 'a', kind: 'bool', description: 'Remove all images no container uses, not just dangling ones' }, { name: 'force', short: 'f', kind: 'bool', description: 'Do not prompt for confirmation (carton never prompts)' }],
  async run(flags) {
    const { lines, bytes: freed } = await pruneImages(!!flags.all);
    process.stdout.write(lines + `Total reclaimed space: ${bytes(freed)}\n`);
    return 0;
  },
};
