// A new PID namespace from a multithreaded process. unshare(CLONE_NEWPID) does not move the
// caller: it sets the namespace its *next children* are born in, and the first child becomes
// PID 1 there. But while it is set, Node cannot create threads (libuv's pool would start in
// a namespace it cannot enter, and the process aborts on its first async fs call). So:
// save a handle on our own PID namespace, unshare, spawn, and immediately setns back.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import * as sys from '../../lib/sys/index.js';

// #region spawnInPidNamespace
/** Spawn `command` as PID 1 of a new PID namespace; this process stays where it was. */
export function spawnInPidNamespace(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const ours = openSync('/proc/self/ns/pid', 'r');
  try {
    sys.unshare(sys.CLONE_NEWPID);
    try {
      return spawn(command, args, options);
    } finally {
      sys.setns(ours, sys.CLONE_NEWPID); // children from now on are born in our namespace again
    }
  } finally {
    closeSync(ours);
  }
}
// #endregion spawnInPidNamespace
