// Chapter 02 — exercise: start a process as PID 1 of a new PID namespace, from Node.
import { type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as sys from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';

/**
 * Spawn `command` (child_process.spawn) so that it is PID 1 of a new PID namespace, while this
 * process — and any child it makes afterwards, whatever happens — stays in its own. Between
 * changing where this process's children go and putting it back, nothing asynchronous may
 * run. man 2 unshare (CLONE_NEWPID), man 2 setns, man 7 pid_namespaces.
 */
export function spawnInPidNamespace(command: string, args: string[], options: SpawnOptions): ChildProcess {
  // TODO: save, unshare, spawn, restore.
  void sys;
  void command;
  void args;
  void options;
  todo('spawnInPidNamespace', 'exercises/02-namespaces/pid.ts');
}
