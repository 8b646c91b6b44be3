// Facts about host processes, from /proc. A pid alone does not identify a process for long
// (pids are reused), so carton records a process's start time beside its pid.
import { readFileSync } from 'node:fs';

/** The fields of /proc/<pid>/stat after the command name, or undefined if the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat: starttime, in clock ticks since boot. */
export function startTime(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields ? Number(fields[19]) : undefined;
}

/** Is `pid` still the (living, non-zombie) process that started at `started`? */
export function sameProcess(pid: number | undefined, started: number | undefined): boolean {
  if (!pid) return false;
  const fields = statFields(pid);
  if (!fields || fields[0] === 'Z' || fields[0] === 'X') return false;
  return started === undefined || Number(fields[19]) === started;
}
