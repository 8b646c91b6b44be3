// carton save, load, import, export, commit: images and containers to and from tarballs,
// and a container's changes as a new image (chapter 07 on chapter 05's layers).
import type { Command } from '../command.js';
import type { ImageInfo } from '../../../solutions/07-images/types.js';
import { requireOperands, UsageError } from '../args.js';
import { findImage, openStore } from '../../runtime/images.js';
import { progressPrinter } from '../progress.js';
import { CartonError } from '../../sys/index.js';

/** Docker refuses to write a tarball to a terminal, and so do we. */
function refuseTerminal(verb: string): void {
  if (process.stdout.isTTY) throw new UsageError(`cowardly refusing to write the ${verb} tarball to a terminal`, 'use -o FILE, or redirect the output');
}

export const save: Command = {
  name: 'save', summary: 'Save one or more images to a tar archive (streamed to STDOUT by default)', usage: '[OPTIONS] IMAGE [IMAGE...]',
  flags: [{ name: 'output', short: 'o', kind: 'string', value: 'string', description: 'Write to a file, instead of STDOUT' }],
  details: `The archive is both an OCI image layout (index.json, blobs/sha256/) and a Docker archive
(manifest.json), as Docker 25 and later write it: 'carton load', 'docker load' and OCI tools
such as skopeo (oci-archive:) read it.`,
  async run(flags, operands) {
    requireOperands('save', operands, 1, 'IMAGE');
    const { images, store } = await openStore();
    for (const ref of operands) await findImage(images, store, ref); // carton/busybox is built on first use
    if (flags.output) {
      await images.saveImages(store, operands, flags.output as string);
    } else {
      refuseTerminal('save');
      await images.saveImages(store, operands, process.stdout);
    }
    return 0;
  },
};

export const load: Command = {
  name: 'load', summary: 'Load images from a tar archive or STDIN', usage: '[OPTIONS]',
  flags: [
    { name: 'input', short: 'i', kind: 'string', value: 'string', description: 'Read from tar archive file, instead of STDIN' },
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Suppress the load output' },
  ],
  details: "Reads what 'carton save' and 'docker save' write, a docker-archive (skopeo copy ... docker-archive:) and an OCI layout tarball (oci-archive:); plain, gzip or zstd.",
  async run(flags) {
    const { images, store } = await openStore();
    if (!flags.input && process.stdin.isTTY) throw new UsageError('requested load from stdin, but stdin is empty', 'carton load -i FILE, or carton load < FILE');
    const loaded: ImageInfo[] = await images.loadImages(store, (flags.input as string | undefined) ?? process.stdin, flags.quiet ? undefined : progressPrinter(process.stderr));
    for (const image of loaded) {
      if (image.names.length === 0) process.stdout.write(`Loaded image ID: ${image.id}\n`);
      for (const name of image.names) process.stdout.write(`Loaded image: ${images.shortName(name).join(':')}\n`);
    }
    return 0;
  },
};

export const importImage: Command = {
  name: 'import', summary: 'Import the contents from a tarball to create a filesystem image', usage: '[OPTIONS] file|- [REPOSITORY[:TAG]]',
  flags: [
    { name: 'change', short: 'c', kind: 'list', description: 'Apply a Dockerfile instruction to the image (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR)' },
    { name: 'message', short: 'm', kind: 'string', value: 'string', description: 'Set commit message for imported image' },
  ],
  async run(flags, operands) {
    requireOperands('import', operands, 1, 'file|- [REPOSITORY[:TAG]]');
    if (operands.length > 2) throw new UsageError('import takes a file and at most one name');
    const { images, store } = await openStore();
    const input = operands[0] === '-' ? process.stdin : operands[0];
    const image = await images.importTarball(store, input, { ref: operands[1], changes: flags.change as string[] | undefined, message: flags.message as string | undefined });
    process.stdout.write(image.id + '\n');
    return 0;
  },
};

export const exportContainer: Command = {
  name: 'export', summary: "Export a container's filesystem as a tar archive", usage: '[OPTIONS] CONTAINER',
  flags: [{ name: 'output', short: 'o', kind: 'string', value: 'string', description: 'Write to a file, instead of STDOUT' }],
  details: 'The container\'s own changes over its image\'s layers, as one tree; volumes and tmpfs mounts are not included.',
  async run(flags, operands) {
    requireOperands('export', operands, 1, 'CONTAINER', true);
    const [{ images }, { findContainer }, { withContainerRoot }] = await Promise.all([openStore(), import('../../runtime/state.js'), import('../../runtime/container-fs.js')]);
    const record = findContainer(operands[0]);
    if (!flags.output) {
      refuseTerminal('export');
      await withContainerRoot(record, (root) => images.exportDirectory(root, process.stdout, record.userns));
    } else {
      // Written whole, then renamed: a failed export leaves no half tarball.
      await images.writeFileWhole(flags.output as string, (out) => withContainerRoot(record, (root) => images.exportDirectory(root, out, record.userns)));
    }
    return 0;
  },
};

export const commit: Command = {
  name: 'commit', summary: "Create a new image from a container's changes", usage: '[OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  flags: [
    { name: 'author', short: 'a', kind: 'string', value: 'string', description: 'Author (e.g., "Ann <ann@example.com>")' },
    { name: 'change', short: 'c', kind: 'list', description: 'Apply a Dockerfile instruction to the image (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR)' },
    { name: 'message', short: 'm', kind: 'string', value: 'string', description: 'Commit message' },
  ],
  details: `The container's upper layer (chapter 05) becomes one new layer on top of its image's:
overlay whiteouts become OCI whiteouts. A running container is committed as it is now.`,
  async run(flags, operands) {
    requireOperands('commit', operands, 1, 'CONTAINER [REPOSITORY[:TAG]]');
    if (operands.length > 2) throw new UsageError('commit takes a container and at most one name');
    const [{ images, store }, { findContainer, containerLayer }] = await Promise.all([openStore(), import('../../runtime/state.js')]);
    const record = findContainer(operands[0]);
    if (!record.imageId) throw new CartonError(`commit ${record.name}: it was not made from an image (--rootfs)`, 'carton export it, then carton import the tarball');
    const base = store.find(record.imageId);
    if (!base) throw new CartonError(`commit ${record.name}: its image ${record.imageId.slice(7, 19)} was removed`, 'carton export the container and carton import the tarball instead');
    const image = await images.commitLayer(store, base, containerLayer(record.id).upper, {
      ref: operands[1], author: flags.author as string | undefined, message: flags.message as string | undefined, changes: flags.change as string[] | undefined,
      ...(record.userns ? { range: record.userns } : {}), // its files as the container sees them
    });
    process.stdout.write(image.id + '\n');
    return 0;
  },
};
