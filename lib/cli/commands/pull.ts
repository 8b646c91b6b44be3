// carton pull: fetch an image from a registry into the store (chapter 07), with Docker's
// progress lines and summary.
import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import { authFile, isDefaultImage, openStore, refuseOffline, resolveImage } from '../../runtime/images.js';
import { progressPrinter } from '../progress.js';

export const pull: Command = {
  name: 'pull', summary: 'Download an image from a registry', usage: '[OPTIONS] NAME[:TAG|@DIGEST]',
  flags: [
    { name: 'platform', kind: 'string', value: 'string', description: 'Set platform if the image is multi-platform (e.g. linux/arm64, linux/arm/v7)' },
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Suppress verbose output' },
  ],
  details: `Registries are reached over HTTPS, except localhost, 127.0.0.1 and the hosts listed in
CARTON_INSECURE_REGISTRIES (comma-separated), which use plain HTTP. Credentials saved by
'carton login' are used for the registry they were saved for.`,
  async run(flags, operands) {
    requireOperands('pull', operands, 1, 'NAME', true);
    const ref = operands[0];
    const { images, store } = await openStore();
    if (isDefaultImage(images, ref)) {
      // Not on any registry: carton builds it from the host's busybox.
      const image = await resolveImage(ref);
      process.stdout.write(`${image.names[0] ?? image.id}\n`);
      return 0;
    }
    const parsed = images.parseReference(ref);
    refuseOffline('pull from', parsed.registry);
    const full = images.formatReference(parsed);
    const quiet = !!flags.quiet;
    if (!quiet) {
      const explicit = ref.includes('@') || ref.lastIndexOf(':') > ref.lastIndexOf('/');
      if (!explicit) process.stdout.write(`Using default tag: ${parsed.tag}\n`);
      process.stdout.write(`${parsed.digest ?? parsed.tag}: Pulling from ${parsed.repository}\n`);
    }
    const before = store.find(full)?.id;
    const image = await images.pull(store, ref, {
      platform: flags.platform as string | undefined,
      onProgress: quiet ? undefined : progressPrinter(process.stdout),
      authFile: authFile(),
    });
    if (!quiet) {
      const digest = image.repoDigests.find((d) => d.startsWith(full.replace(/[:@].*$/, '') + '@'))?.split('@')[1] ?? image.manifestDigest;
      process.stdout.write(`Digest: ${digest}\n`);
      process.stdout.write(before === image.id ? `Status: Image is up to date for ${ref}\n` : `Status: Downloaded newer image for ${ref}\n`);
    }
    (await import('../../runtime/events.js')).emit('image', 'pull', full, { name: full });
    process.stdout.write(full + '\n');
    return 0;
  },
};
