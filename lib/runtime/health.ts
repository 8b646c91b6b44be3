// Health checks (HEALTHCHECK in the image, --health-* on run, healthcheck: in Compose). With
// no daemon, the process that waits for the container runs them: the monitor of a detached
// container, `carton run` itself in the foreground. Each probe is `carton exec`'s path (the
// exec stage, confined as the container is), its result kept in the record as Docker keeps
// State.Health: a status, a failing streak, and the last five results.
import type { Readable } from 'node:stream';
import { CartonError, q } from '../sys/index.js';
import { formatDuration, parseDuration } from './duration.js';
import { execIn } from './exec.js';
import { stageSecurity } from './start.js';
import type { StageSecurity } from './stage-config.js';
import { loadContainer, updateContainer, type ContainerRecord } from './state.js';
import { containerEvent } from './events.js';

/** The check, times in milliseconds. test: ["CMD", arg…] or ["CMD-SHELL", "command"]. */
export interface HealthConfig {
  test: string[];
  interval: number;
  timeout: number;
  startPeriod: number;
  startInterval: number;
  retries: number;
}

export interface HealthResult {
  start: string;
  end: string;
  exitCode: number;
  output: string;
}

export interface HealthState {
  status: 'starting' | 'healthy' | 'unhealthy';
  failingStreak: number;
  log: HealthResult[];
}

/** Docker's defaults for what a HEALTHCHECK or --health-* leaves unsaid. */
export const HEALTH_DEFAULTS = { interval: 30_000, timeout: 30_000, startPeriod: 0, startInterval: 5_000, retries: 3 };
const KEPT_RESULTS = 5;
const KEPT_OUTPUT = 4096;

/** An image's Healthcheck (durations in ns, as the image config has them), or none. */
type ImageHealthcheck = { Test?: string[] | null; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number };

export interface HealthOptions {
  /** The test as a list (Compose's healthcheck.test): ["CMD", …] or ["CMD-SHELL", "…"]. */
  test?: string[];
  cmd?: string;
  interval?: string;
  timeout?: string;
  startPeriod?: string;
  startInterval?: string;
  retries?: string;
  none?: boolean;
}

/** The check a container gets: the image's, with each --health-* (or Compose key) on top. */
export function healthConfig(options: HealthOptions, image: ImageHealthcheck | undefined): HealthConfig | undefined {
  const given = options.test !== undefined || options.cmd !== undefined || options.interval !== undefined || options.timeout !== undefined || options.startPeriod !== undefined || options.startInterval !== undefined || options.retries !== undefined;
  if (options.none) {
    if (given) throw new CartonError('--no-healthcheck conflicts with the --health-* options', 'give one or the other');
    return undefined;
  }
  const imageTest = image?.Test && image.Test.length && image.Test[0] !== 'NONE' ? image.Test : undefined;
  const test = options.test ?? (options.cmd !== undefined ? ['CMD-SHELL', options.cmd] : imageTest);
  if (!test) {
    if (given) throw new CartonError('--health-* options need a check', 'give --health-cmd, or use an image with a HEALTHCHECK');
    return undefined;
  }
  if (test[0] !== 'CMD' && test[0] !== 'CMD-SHELL') throw new CartonError(`unknown health check test ${q(test[0])}`, 'expected CMD, CMD-SHELL or NONE');
  const time = (flag: string | undefined, fromImage: number | undefined, fallback: number, name: string) => {
    if (flag !== undefined) {
      const ms = parseDuration(flag, name);
      if (ms !== 0 && ms < 1) throw new CartonError(`${name} ${q(flag)} is too short`, 'use 1ms or more');
      return ms || fallback;
    }
    return fromImage ? fromImage / 1e6 : fallback;
  };
  const retries = options.retries !== undefined ? Number(options.retries) : (image?.Retries || HEALTH_DEFAULTS.retries);
  if (!Number.isInteger(retries) || retries < 0) throw new CartonError(`invalid --health-retries ${q(String(options.retries))}: a whole number`);
  return {
    test,
    interval: time(options.interval, image?.Interval, HEALTH_DEFAULTS.interval, '--health-interval'),
    timeout: time(options.timeout, image?.Timeout, HEALTH_DEFAULTS.timeout, '--health-timeout'),
    startPeriod: time(options.startPeriod, image?.StartPeriod, HEALTH_DEFAULTS.startPeriod, '--health-start-period'),
    startInterval: time(options.startInterval, image?.StartInterval, HEALTH_DEFAULTS.startInterval, '--health-start-interval'),
    retries: retries || HEALTH_DEFAULTS.retries,
  };
}

/** Docker's Config.Healthcheck (durations in ns). */
export function dockerHealthcheck(h: HealthConfig): Record<string, unknown> {
  return { Test: h.test, Interval: h.interval * 1e6, Timeout: h.timeout * 1e6, StartPeriod: h.startPeriod * 1e6, StartInterval: h.startInterval * 1e6, Retries: h.retries };
}

/** The next state after one probe: success is healthy at once, failures count after the start period. */
export function nextHealth(state: HealthState, result: HealthResult, inStartPeriod: boolean, retries: number): HealthState {
  const log = [...state.log, result].slice(-KEPT_RESULTS);
  if (result.exitCode === 0) return { status: 'healthy', failingStreak: 0, log };
  if (inStartPeriod) return { ...state, log };
  const failingStreak = state.failingStreak + 1;
  return { status: failingStreak >= retries ? 'unhealthy' : state.status, failingStreak, log };
}

/** One probe in the running container: its exit code and (the start of) its output. */
async function probe(record: ContainerRecord, config: HealthConfig, security: StageSecurity | undefined): Promise<HealthResult> {
  const start = new Date().toISOString();
  const argv = config.test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', config.test[1] ?? ''] : config.test.slice(1);
  const { child, started } = execIn({
    pid: record.pid!, argv, env: record.env, cwd: record.cwd, user: record.user, tty: false, security,
  }, ['ignore', 'pipe', 'pipe']);
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(0, KEPT_OUTPUT));
  (child.stdout as Readable).on('data', keep);
  (child.stderr as Readable).on('data', keep);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, config.timeout);
  const code = await new Promise<number>((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', (c, signal) => resolve(signal ? -1 : (c ?? -1)));
  });
  clearTimeout(timer);
  const failure = await started;
  const end = new Date().toISOString();
  if (timedOut) return { start, end, exitCode: -1, output: `Health check exceeded timeout (${formatDuration(config.timeout)})` };
  if (failure) return { start, end, exitCode: failure.exitCode ?? -1, output: failure.error };
  return { start, end, exitCode: code, output };
}

/**
 * Run the container's checks until `stop()` (called when it exits): the first after one
 * interval (the start interval during the start period), each next one an interval after the
 * last ended, as Docker does. A container with no check gets none.
 */
export function watchHealth(id: string, level: number): { stop(): void } {
  const record = loadContainer(id);
  const config = record?.healthcheck;
  if (!record || !config || !record.pid) return { stop() {} };
  const startedAt = Date.now();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const inStartPeriod = () => Date.now() - startedAt < config.startPeriod;
  // The container's confinement, worked out once (a layout read, the filter from its cache), not at every probe.
  let security: Promise<StageSecurity | undefined> | undefined;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void once(), inStartPeriod() ? Math.min(config.startInterval, config.interval) : config.interval);
  };
  const once = async () => {
    const current = loadContainer(id);
    if (!current || current.pid !== record.pid || (current.status !== 'running' && current.status !== 'paused')) return; // exited
    if (current.status === 'paused') return schedule(); // a frozen container cannot answer: no probe until it runs again
    let result: HealthResult;
    try {
      security ??= stageSecurity(record, level);
      result = await probe(current, config, await security);
    } catch (error) {
      const now = new Date().toISOString();
      result = { start: now, end: now, exitCode: -1, output: (error as Error).message };
    }
    if (stopped) return;
    try {
      const period = inStartPeriod();
      let before: HealthState['status'] | undefined;
      const after = updateContainer(id, (r) => {
        before = r.health?.status;
        r.health = nextHealth(r.health ?? { status: 'starting', failingStreak: 0, log: [] }, result, period, config.retries);
      });
      if (after.health && after.health.status !== before) containerEvent(`health_status: ${after.health.status}`, after);
    } catch {
      return; // removed meanwhile
    }
    schedule();
  };
  updateContainer(id, (r) => (r.health = { status: 'starting', failingStreak: 0, log: r.health?.log ?? [] }));
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
