// A detached container's output, in Docker's json-file format: one JSON object per line,
//   {"log":"hello\n","stream":"stdout","time":"2026-11-23T14:52:00.123456789Z"}
// so `carton logs` can show timestamps (-t), the last lines (--tail) and follow (-f).
import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { containerDir } from './state.js';
import { CartonError, q } from '../sys/errors.js';

export interface LogEntry {
  log: string;
  stream: 'stdout' | 'stderr';
  time: string;
}

export function logPath(id: string): string {
  return join(containerDir(id), 'container.log');
}

/** --log-driver and --log-opt: json-file (max-size in bytes, max-file) or none. */
export interface LogConfig {
  driver: 'json-file' | 'none';
  maxSize?: number;
  maxFile?: number;
}

/** Docker's --log-driver and --log-opt, checked: only json-file takes options, max-size and max-file. */
export function parseLogConfig(driver: string | undefined, options: string[]): LogConfig | undefined {
  if (driver === undefined && options.length === 0) return undefined;
  const d = driver ?? 'json-file';
  if (d !== 'json-file' && d !== 'none') throw new CartonError(`logging driver ${q(d)} is not supported`, 'carton has json-file (the default) and none');
  const config: LogConfig = { driver: d };
  for (const option of options) {
    const [key, value = ''] = [option.slice(0, option.indexOf('=') < 0 ? option.length : option.indexOf('=')), option.slice(option.indexOf('=') + 1)];
    if (d === 'none') throw new CartonError(`unknown log opt ${q(key)} for none log driver`);
    if (key === 'max-size') {
      const m = /^(\d+)([kmg]?)$/i.exec(value);
      if (!m || Number(m[1]) === 0) throw new CartonError(`invalid max-size ${q(value)}`, 'a size such as 10m, 512k or 1g');
      config.maxSize = Number(m[1]) * ({ '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2].toLowerCase() as ''] ?? 1); // decimal units, as Docker's
    } else if (key === 'max-file') {
      if (!/^\d+$/.test(value) || Number(value) < 1) throw new CartonError(`invalid max-file ${q(value)}`, 'a count of 1 or more');
      config.maxFile = Number(value);
    } else throw new CartonError(`unknown log opt ${q(key)} for json-file log driver`, 'the options are max-size and max-file');
  }
  if (config.maxFile !== undefined && config.maxSize === undefined) throw new CartonError('max-file is meaningless without max-size', 'give --log-opt max-size=… too');
  return config;
}

/** The log's files, oldest first: container.log.N … container.log.1, container.log. */
export function logFiles(id: string): string[] {
  const path = logPath(id);
  const rotated: string[] = [];
  for (let n = 1; existsSync(`${path}.${n}`); n++) rotated.unshift(`${path}.${n}`);
  return [...rotated, path];
}

/** Past max-size: container.log becomes container.log.1 (and so on, keeping max-file files in all). */
function rotate(path: string, maxFile: number): void {
  if (maxFile <= 1) {
    rmSync(path, { force: true });
    return;
  }
  rmSync(`${path}.${maxFile - 1}`, { force: true });
  for (let n = maxFile - 2; n >= 1; n--) if (existsSync(`${path}.${n}`)) renameSync(`${path}.${n}`, `${path}.${n + 1}`);
  renameSync(path, `${path}.1`);
}

/**
 * A writer that splits output into lines, keeping a partial line until its newline comes.
 * A write that fails (ENOSPC on a full disk, EDQUOT, EIO) must not take the container with
 * it: the line is lost, the failure is said once through `onError`, and logging goes on
 * (the disk may be freed).
 */
export function logWriter(id: string, onError: (error: NodeJS.ErrnoException) => void = () => {}, config?: LogConfig): { write(stream: 'stdout' | 'stderr', data: Buffer): void; flush(): void } {
  const path = logPath(id);
  if (config?.driver === 'none') return { write() {}, flush() {} };
  const partial: Record<string, string> = { stdout: '', stderr: '' };
  let failing = false;
  const emit = (stream: 'stdout' | 'stderr', log: string) => {
    const entry: LogEntry = { log, stream, time: new Date().toISOString() };
    try {
      appendFileSync(path, JSON.stringify(entry) + '\n');
      if (config?.maxSize !== undefined && statSync(path).size >= config.maxSize) rotate(path, config.maxFile ?? 1);
      failing = false;
    } catch (error) {
      if (!failing) onError(error as NodeJS.ErrnoException);
      failing = true;
    }
  };
  return {
    write(stream, data) {
      const text = partial[stream] + data.toString('utf8');
      const lines = text.split(/(?<=\n)/);
      partial[stream] = lines.at(-1)!.endsWith('\n') ? '' : lines.pop()!;
      for (const line of lines) emit(stream, line);
    },
    flush() {
      for (const stream of ['stdout', 'stderr'] as const) {
        if (partial[stream]) emit(stream, partial[stream]);
        partial[stream] = '';
      }
    },
  };
}

/**
 * Parse the log from byte `offset` of its current file; returns the entries and the offset
 * after them. From 0, the rotated files come first. A current file shorter than `offset` was
 * rotated meanwhile: it is read from its start.
 */
export function readLog(id: string, offset = 0): { entries: LogEntry[]; offset: number } {
  const path = logPath(id);
  const older = offset === 0 ? logFiles(id).slice(0, -1).flatMap((f) => parseLines(readFileSync(f, 'utf8'))) : [];
  if (!existsSync(path)) return { entries: older, offset: 0 };
  const buffer = readFileSync(path);
  if (buffer.length < offset) offset = 0;
  const text = buffer.subarray(offset).toString('utf8');
  const end = text.lastIndexOf('\n') + 1; // only whole lines: a writer may be mid-line
  return { entries: [...older, ...parseLines(text.slice(0, end))], offset: offset + Buffer.byteLength(text.slice(0, end)) };
}

function parseLines(text: string): LogEntry[] {
  return text.split('\n').filter(Boolean).flatMap((l) => {
    try {
      return [JSON.parse(l) as LogEntry];
    } catch {
      return []; // a line cut by a crash or a full disk: the rest is still the log
    }
  });
}
