// Chapter 04 — reading and writing cgroupfs files, with errors that name the file. A write to
// a cgroup file is one write(2): the kernel parses it and answers with an errno (EINVAL for a
// bad value, EBUSY when the value conflicts with the group's state).
import { existsSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { CartonError, q } from '../../lib/sys/errors.js';

export function writeCgroupFile(path: string, value: string): void {
  try {
    writeFileSync(path, value);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CartonError(`write ${q(path)} "${value}": ${code}`, code === 'ENOENT' ? 'this controller is not enabled for the cgroup: see `carton doctor`' : code === 'EACCES' || code === 'EPERM' ? 'this needs root: run it with sudo' : undefined);
  }
}

export function readCgroupFile(path: string): string {
  return readFileSync(path, 'utf8').trim();
}

/** A number, or null for the kernel's "max" (v2) / a huge sentinel (v1), or a missing file. */
export function readNumber(path: string): number | null {
  if (!existsSync(path)) return null;
  const text = readCgroupFile(path);
  if (text === 'max' || text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** "key value" lines (memory.events, cpu.stat, memory.oom_control) → a record. */
export function readKeyed(path: string): Record<string, number> {
  const out: Record<string, number> = {};
  if (!existsSync(path)) return out;
  for (const line of readCgroupFile(path).split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined) out[key] = Number(value);
  }
  return out;
}

/** rmdir that ignores a directory already gone. A cgroup dir is removed with rmdir, never rm -r:
 *  its files are not real files, and rmdir fails (EBUSY) while a process is still inside. */
export function removeCgroupDir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new CartonError(`rmdir ${q(dir)}: ${(error as NodeJS.ErrnoException).code}`, 'a process is still in the cgroup, or it has child cgroups');
    }
  }
}
