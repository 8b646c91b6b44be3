// carton cp: copy files between a container and the host, as docker cp does.
import type { Command } from '../command.js';
import { requireOperands, UsageError, type Flags } from '../args.js';
import { requireRoot } from '../privileges.js';

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
  const engine = await import('../../runtime/engine.js');
  await engine.recover();
  const options = { archive: !!flags.archive, followLink: !!flags['follow-link'] };
  if (from) {
    const record = engine.find(from[0]);
    if (operands[1] === '-') await engine.copyOutAsTar(record, from[1], process.stdout, options);
    else await engine.copyOut(record, from[1], operands[1], options);
    return 0;
  }
  const record = engine.find(to![0]);
  if (operands[0] === '-') await engine.copyInFromTar(record, process.stdin, to![1], options);
  else await engine.copyIn(record, operands[0], to![1], options);
  return 0;
}
