// carton top: the container's processes, as the host's ps shows them (docker top does the
// same): every host process whose PID namespace is the container's.
import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import type { Command } from '../command.js';
import { requireOperands } from '../args.js';
import { reconcile } from '../../runtime/lifecycle.js';
import { findContainer } from '../../runtime/state.js';
import { CartonError } from '../../sys/index.js';

export function containerPids(pid: number): number[] {
  const ns = readlinkSync(`/proc/${pid}/ns/pid`);
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/ns/pid`) === ns) pids.push(Number(entry));
    } catch {
      // exited meanwhile, or a kernel thread
    }
  }
  return pids;
}

export const top: Command = {
  name: 'top',
  summary: 'Display the running processes of a container',
  usage: 'CONTAINER [ps OPTIONS]',
  stopAtOperand: true,
  flags: [],
  async run(_flags, operands) {
    requireOperands('top', operands, 1, 'CONTAINER');
    reconcile();
    const record = findContainer(operands[0]);
    if (record.status !== 'running' || !record.pid) throw new CartonError(`container ${record.name} is not running`);
    const options = operands.length > 1 ? operands.slice(1) : ['-o', 'uid,pid,ppid,c,stime,tty,time,cmd'];
    process.stdout.write(execFileSync('ps', [...options, '-p', containerPids(record.pid).join(',')], { encoding: 'utf8' }));
    return 0;
  },
};
