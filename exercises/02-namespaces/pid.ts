// Chapter 02 — exercise: start a process as PID 1 of a new PID namespace, from Node.
import { type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as sys from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';

/**
 * Spawn `command` (child_process.spawn) as PID 1 of a new PID namespace, and leave this
 * process's children-to-be in its own namespace afterwards. Steps: open /proc/self/ns/pid,
 * sys.unshare(sys.CLONE_NEWPID), spawn, then — whatever happens — sys.setns(fd, sys.CLONE_NEWPID)
 * and close the fd. Do nothing asynchronous in between.
 */
export function spawnInPidNamespace(command: string, args: string[], options: SpawnOptions): ChildProcess {
  // TODO: save, unshare, spawn, restore.
  void sys;
  void command;
  void args;
  void options;
  todo('spawnInPidNamespace', 'exercises/02-namespaces/pid.ts');
}
