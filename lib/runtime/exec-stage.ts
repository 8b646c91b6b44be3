// The first process of `carton exec`. carton spawns it inside the container's PID namespace
// and cgroups and sends its configuration on fd 3; it joins the container's other
// namespaces, takes the same confinement as the container's own processes (capabilities,
// seccomp, no_new_privs: chapter 09), becomes the user, and execve's the command.
// Until then it is the host's node: it makes itself non-dumpable first, so that no process
// of the container can open its /proc/<pid>/exe, memory or fds (the CVE-2019-5736 class).
// Like the run stage, only synchronous calls from the first setns on.
import { existsSync, openSync, readFileSync } from 'node:fs';
import * as sys from '../sys/index.js';
import { chapter } from '../impl.js';
import { readLine, writeLine } from './sync.js';
import { SYNC_FD, type StageFailure, type StageSecurity } from './stage-config.js';

export interface ExecStageConfig {
  /** PID (on the host) of the container's first process, whose namespaces to join. */
  pid: number;
  argv: string[];
  env: string[];
  cwd: string;
  user?: { uid: number; gid: number; groups: number[] };
  /** fds 0-2 are a terminal's slave: make it the controlling terminal of a new session. */
  tty: boolean;
  security?: StageSecurity;
}

// The PID namespace is joined already (carton spawned us there); mount last, because after
// it /proc/<pid>/... would be the container's /proc.
const JOIN: Array<[string, number]> = [
  ['ipc', sys.CLONE_NEWIPC], ['uts', sys.CLONE_NEWUTS], ['net', sys.CLONE_NEWNET], ['cgroup', sys.CLONE_NEWCGROUP], ['mnt', sys.CLONE_NEWNS],
];

async function main(): Promise<void> {
  sys.prctl(sys.PR_SET_DUMPABLE, 0);
  const line = readLine(SYNC_FD);
  if (line === null) process.exit(125);
  const config = JSON.parse(line) as ExecStageConfig;
  const [chroot, security] = await Promise.all([chapter.chroot(), config.security ? chapter.security() : undefined]);
  const lastCap = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8'));
  const bounding = security ? security.currentBounding() : 0n;

  sys.unshare(sys.CLONE_FS); // setns(CLONE_NEWNS) refuses while threads share our root and cwd
  const fds = JOIN.map(([type, flag]) => [openSync(`/proc/${config.pid}/ns/${type}`, 'r'), flag] as const);
  for (const [fd, flag] of fds) {
    sys.setns(fd, flag);
    sys.close(fd);
  }
  sys.chdir('/'); // joining a mount namespace leaves the cwd in the old one
  if (!existsSync(config.cwd)) throw Object.assign(new sys.CartonError(`exec: the working directory ${sys.q(config.cwd)} does not exist in the container`), { exitCode: 126 });
  process.chdir(config.cwd);
  if (config.tty) {
    sys.setsid();
    sys.ioctlInt(0, sys.TIOCSCTTY, 0);
  }
  if (security && config.security) security.confine(config.security, lastCap);
  if (config.user) {
    sys.setgroups(config.user.groups);
    sys.setresgid(config.user.gid);
    sys.setresuid(config.user.uid);
  }
  if (security && config.security) security.finalCapabilities(config.security, config.user?.uid ?? 0, bounding);
  sys.fcntl(SYNC_FD, sys.F_SETFD, sys.FD_CLOEXEC); // EOF for carton: the command runs
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
  sys.exitNow(failure.exitCode); // not process.exit: see exitNow

}

main().catch(fail);
