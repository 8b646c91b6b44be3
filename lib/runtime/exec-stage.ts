// The first process of `carton exec`. carton spawns it inside the container's PID namespace
// and cgroups and sends its configuration on fd 3; it joins the container's other
// namespaces, takes the same confinement as the container's own processes (capabilities,
// seccomp, no_new_privs: chapter 09), becomes the user, and execve's the command.
// Until then it is the host's node: it makes itself non-dumpable first, so that no process
// of the container can open its /proc/<pid>/exe, memory or fds (the CVE-2019-5736 class).
// Like the run stage, only synchronous calls from the first setns on.
import { existsSync, openSync, readlinkSync } from 'node:fs';
import * as sys from '../sys/index.js';
import { chapter } from '../impl.js';
import { failStage, readLine } from './sync.js';
import { becomeContainerProcess, readConfinement } from './become.js';
import { SYNC_FD, type StageSecurity } from './stage-config.js';
import type { User } from './user.js';

export interface ExecStageConfig {
  /** PID (on the host) of the container's first process, whose namespaces to join. */
  pid: number;
  argv: string[];
  env: string[];
  cwd: string;
  user?: User;
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
  const confinement = readConfinement(security, config.security);

  sys.unshare(sys.CLONE_FS); // setns(CLONE_NEWNS) refuses while threads share our root and cwd
  // Only the namespaces the container does not share with us: one it shares belongs to the
  // host's user namespace, and from a container's own user namespace (nsenter put us in it)
  // setns into it would be refused (EPERM), as would any other step up.
  const theirs = JOIN.filter(([type]) => readlinkSync(`/proc/${config.pid}/ns/${type}`) !== readlinkSync(`/proc/self/ns/${type}`));
  const fds = theirs.map(([type, flag]) => [openSync(`/proc/${config.pid}/ns/${type}`, 'r'), flag] as const);
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
  becomeContainerProcess(config.user, confinement);
  sys.fcntl(SYNC_FD, sys.F_SETFD, sys.FD_CLOEXEC); // EOF for carton: the command runs
  chroot.execProgram(config.argv, config.env);
}

main().catch((error: unknown) => failStage(SYNC_FD, error));
