// The container's first process. carton starts it, sends its configuration on fd 3, and it
// turns itself into the container: enter the root filesystem, then execve the user's
// program (which keeps this process's pid). Chapter by chapter it learns more steps; each
// step is the chapter module's code, the learner's own with CARTON_IMPL=exercises.
//
// Only synchronous calls from here on: see chapters/02-namespaces.
import * as sys from '../sys/index.js';
import { chapter } from '../impl.js';
import { readLine, writeLine } from './sync.js';
import { SYNC_FD, type StageConfig, type StageFailure } from './stage-config.js';

async function main(): Promise<void> {
  const line = readLine(SYNC_FD);
  if (line === null) process.exit(125); // carton went away before sending anything
  const config = JSON.parse(line) as StageConfig;
  const chroot = await chapter.chroot();

  chroot.enterRoot(config.rootfs);
  process.chdir(config.cwd);

  // On a successful execve the kernel closes fd 3 for us: carton reads EOF and knows the
  // container's program is running.
  sys.fcntl(SYNC_FD, sys.F_SETFD, sys.FD_CLOEXEC);
  chroot.execProgram(config.argv, config.env);
}

function fail(error: unknown): never {
  const failure: StageFailure = {
    error: error instanceof Error ? error.message : String(error),
    hint: (error as { hint?: string }).hint,
    exitCode: (error as { exitCode?: number }).exitCode ?? 125,
  };
  try {
    writeLine(SYNC_FD, failure);
  } catch {
    process.stderr.write(`carton: ${failure.error}\n`);
  }
  process.exit(failure.exitCode);
}

main().catch(fail);
