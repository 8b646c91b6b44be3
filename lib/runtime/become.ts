// The last steps of both stages (run's and exec's) before execve: take the container's
// confinement and become its user, in the order chapter 09 explains (apply.ts): bounding
// set, no_new_privs and seccomp while the stage still holds every capability; then the
// user; then the program's own capability sets, and fds above 2 close-on-exec.
import * as sys from '../sys/index.js';
import type { chapter } from '../impl.js';
import type { StageSecurity } from './stage-config.js';
import type { User } from './user.js';

export interface Confinement {
  security: Awaited<ReturnType<typeof chapter.security>>;
  config: StageSecurity;
  /** Both read before the stage leaves the host's /proc. */
  lastCap: number;
  bounding: bigint;
}

export function becomeContainerProcess(user: User | undefined, confinement?: Confinement): void {
  sys.defaultSignals(); // before the filter: Node's ignored SIGPIPE must not reach the program
  confinement?.security.confine(confinement.config, confinement.lastCap);
  if (user) {
    sys.setgroups(user.groups);
    sys.setresgid(user.gid);
    sys.setresuid(user.uid);
  }
  confinement?.security.finalCapabilities(confinement.config, user?.uid ?? 0, confinement.bounding);
}

/** What a stage reads on the host's side, for becomeContainerProcess later. */
export function readConfinement(security: Confinement['security'] | undefined, config: StageSecurity | undefined): Confinement | undefined {
  return security && config ? { security, config, lastCap: sys.capLastCap(), bounding: security.currentBounding() } : undefined;
}
