// `carton top`: the container's processes as the host's ps shows them. As Docker does, ps
// runs with the user's options over the whole host and its output is then filtered by the
// PID column, since options such as `aux` or `-e` select every process whatever `-p` says.
import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { CartonError } from '../sys/index.js';

/** Every host process whose PID namespace is the one `pid` is in. */
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

/** Keep ps's header and the rows whose PID column is one of `pids`. */
export function filterPs(output: string, pids: number[]): string {
  const [header, ...rows] = output.split('\n').filter((line) => line.trim() !== '');
  const column = header?.trim().split(/\s+/).indexOf('PID') ?? -1;
  if (column < 0) throw new CartonError('ps printed no PID column', 'give ps options that include it, such as -o pid,comm');
  const wanted = new Set(pids.map(String));
  return [header, ...rows.filter((row) => wanted.has(row.trim().split(/\s+/)[column]))].map((line) => `${line}\n`).join('');
}

/** ps with `options` (Docker's default `-ef`), limited to the container of `pid`'s processes. */
export function top(pid: number, options: string[]): string {
  return psOf(containerPids(pid), options);
}

/** ps with `options` (Docker's default `-ef`), limited to `pids`. */
export function psOf(pids: number[], options: string[]): string {
  let output: string;
  try {
    output = execFileSync('ps', options.length ? options : ['-ef'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? '').trim();
    throw new CartonError(`ps ${options.join(' ')} failed${stderr ? `: ${stderr.split('\n')[0]}` : ''}`, 'see ps(1) for its options');
  }
  return filterPs(output, pids);
}
