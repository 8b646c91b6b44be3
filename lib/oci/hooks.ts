// The spec's hooks (config.md "POSIX-platform Hooks"): programs the runtime runs at points of
// the lifecycle, each given the container's state as JSON on its standard input. args[0] is
// the program's argv[0]; timeout is in seconds. A failing prestart, createRuntime,
// createContainer or startContainer hook fails the container; a failing poststart or
// poststop hook is a warning, and the rest go on. The init runs createContainer and
// startContainer inside the container's namespaces; create, start and delete run the others.
import { spawnSync } from 'node:child_process';
import { CartonError, q } from '../sys/index.js';
import type { Hook, Hooks, State } from '../../solutions/08-oci/spec.js';

export function runHooks(hooks: Hooks | undefined, point: keyof Hooks, state: State, warn: (message: string) => void): void {
  for (const hook of hooks?.[point] ?? []) {
    const failure = runHook(hook, state);
    if (!failure) continue;
    const message = `${point} hook ${q(hook.path)}: ${failure}`;
    if (point === 'poststart' || point === 'poststop') warn(message);
    else throw new CartonError(message, `the hook is in the bundle's config.json (hooks.${point})`);
  }
}

function runHook(hook: Hook, state: State): string | undefined {
  const [argv0, ...args] = hook.args?.length ? hook.args : [hook.path];
  const result = spawnSync(hook.path, args, {
    argv0,
    input: JSON.stringify(state),
    env: Object.fromEntries((hook.env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])),
    timeout: hook.timeout ? hook.timeout * 1000 : undefined,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const code = (result.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ETIMEDOUT') return `timed out after ${hook.timeout} s`;
  // EPIPE: the hook did not read its stdin (the state) before it exited; its status says the rest.
  if (result.error && code !== 'EPIPE') return result.error.message;
  if (result.signal) return `killed by ${result.signal}`;
  if (result.status !== 0) return `exit status ${result.status}${result.stderr.trim() ? `: ${result.stderr.trim().split('\n').pop()}` : ''}`;
  return undefined;
}
