// carton cp: copy files between a container and the host, as docker cp does.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from '../command.js';
import { requireOperands, UsageError, type Flags } from '../args.js';
import { requireRoot } from '../privileges.js';
import { runRoot } from '../../runtime/paths.js';

/** "CONTAINER:PATH" → [container, path]; a host path (with no colon before a slash) → undefined. */
function containerPath(arg: string): [string, string] | undefined {
  const colon = arg.indexOf(':');
  if (colon <= 0 || arg.slice(0, colon).includes('/')) return undefined;
  return [arg.slice(0, colon), arg.slice(colon + 1) || '/'];
}

export const cp: Command = {
  name: 'cp',
  summary: 'Copy files/folders between a container and the local filesystem',
  usage: '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n       carton cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
  flags: [
    { name: 'archive', short: 'a', kind: 'bool', description: 'Archive mode (copy all uid/gid information)' },
    { name: 'follow-link', short: 'L', kind: 'bool', description: 'Always follow symbol link in SRC_PATH' },
    { name: 'quiet', short: 'q', kind: 'bool', description: 'Suppress progress output (carton prints none)' },
  ],
  details: `Paths in the container are resolved inside its root, as its own processes resolve them: a
symlink there is never followed onto the host. A running container is copied from and to as
it runs (volumes included); a stopped one through its layers and its changes. "-" is a tar
stream on stdout (out of a container) or stdin (into a container directory).`,
  async run(flags, operands) {
    // As Docker: a copy that fails (no such container or path) exits 1.
    return copyFiles(flags, operands).catch((error: unknown) => {
      throw Object.assign(error as Error, { exitCode: (error as { exitCode?: number }).exitCode ?? 1 });
    });
  },
};

async function copyFiles(flags: Flags, operands: string[]): Promise<number> {
  requireOperands('cp', operands, 2, 'SRC DEST', true);
  if (operands.length > 2) throw new UsageError('cp takes a source and a destination');
  requireRoot('cp');
  const [from, to] = [containerPath(operands[0]), containerPath(operands[1])];
  if (from && to) throw new UsageError('copying between containers is not supported', 'copy to the host first');
  if (!from && !to) throw new UsageError('must specify at least one container source', 'write it CONTAINER:PATH');
  const [{ findContainer }, { reconcile }, copy] = await Promise.all([import('../../runtime/state.js'), import('../../runtime/lifecycle.js'), import('../../runtime/copy.js')]);
  reconcile();
  const options = { archive: !!flags.archive, followLink: !!flags['follow-link'] };
  const scratch = () => mkdtempSync(join(runRoot(), 'cp-'));
  if (from) {
    const record = findContainer(from[0]);
    if (operands[1] !== '-') {
      await copy.copyOut(record, from[1], operands[1], options);
      return 0;
    }
    // A tar of it on stdout: copied out safely first, then archived from that copy.
    const dir = scratch();
    try {
      // The stream carries the owners as the container has them, as Docker's does (-a or not).
      await copy.copyOut(record, from[1], dir, { ...options, archive: true });
      const { writeTree } = await import('../../../solutions/05-overlayfs/layer-write.js');
      await writeTree(dir, process.stdout, { layer: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return 0;
  }
  const record = findContainer(to![0]);
  if (operands[0] !== '-') {
    await copy.copyIn(record, operands[0], to![1], options);
    return 0;
  }
  // A tar on stdin: unpacked by chapter 05's code (it refuses paths that leave the directory) into a scratch directory, then copied in.
  const dir = scratch();
  try {
    await pipeline(process.stdin, createWriteStream(join(dir, 'in.tar')));
    const { applyLayer } = await import('../../../solutions/05-overlayfs/layer-apply.js');
    await applyLayer(join(dir, 'in.tar'), join(dir, 'tree'));
    await copy.copyIn(record, join(dir, 'tree') + '/.', to![1].endsWith('/') ? to![1] : to![1] + '/', { ...options, archive: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}
