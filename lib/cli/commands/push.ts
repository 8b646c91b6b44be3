// carton push: upload an image of the store to a registry (chapter 07), with Docker's lines.
import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import { authFile, findImage, openStore, refuseOffline } from '../../runtime/images.js';
import { progressPrinter, PUSH_WORDS } from '../progress.js';

export const push: Command = {
  name: 'push', summary: 'Upload an image to a registry', usage: '[OPTIONS] NAME[:TAG]',
  flags: [
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Suppress verbose output' },
  ],
  details: `The image must be named for the registry first: carton tag app localhost:5000/team/app:1.
Blobs the repository has already are not sent again; the tag appears only once every blob
is there. Credentials saved by 'carton login' are used for the registry they were saved for.`,
  async run(flags, operands) {
    requireOperands('push', operands, 1, 'NAME[:TAG]', true);
    const ref = operands[0];
    const { images, store } = await openStore();
    const parsed = images.parseReference(ref);
    refuseOffline('push to', parsed.registry);
    await findImage(images, store, ref); // builds carton/busybox on first use; push names what is missing
    const quiet = !!flags.quiet;
    if (!quiet) {
      if (!parsed.digest && ref.lastIndexOf(':') <= ref.lastIndexOf('/')) process.stdout.write(`Using default tag: ${parsed.tag}\n`);
      process.stdout.write(`The push refers to repository [${images.repoName(parsed)}]\n`);
    }
    const pushed = await images.push(store, ref, {
      onProgress: quiet ? undefined : progressPrinter(process.stdout, PUSH_WORDS),
      authFile: authFile(),
    });
    process.stdout.write(quiet ? `${images.formatReference(parsed)}\n` : `${pushed.tag}: digest: ${pushed.digest} size: ${pushed.size}\n`);
    return 0;
  },
};
