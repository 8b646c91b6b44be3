// The monitor of a detached container (conmon is the model): started by `carton run -d`
// in a session of its own, it starts the container with its output going to the log,
// tells carton "started" on fd 3, then waits, records the exit, applies the restart policy,
// and removes the container for --rm. One small Node process per detached container.
import { writeSync } from 'node:fs';
import { exitStatus, finish, healthWatcher, launch } from './lifecycle.js';
import { logWriter } from './logs.js';
import { registerHooks } from './hooks.js';
import { loadContainer } from './state.js';

const REPORT_FD = 3;

function report(message: unknown): void {
  try {
    writeSync(REPORT_FD, JSON.stringify(message) + '\n');
  } catch {
    // carton run -d has gone (it only waits for the first message)
  }
}

async function main(): Promise<void> {
  const [id, levelText] = process.argv.slice(2);
  const level = Number(levelText);
  await registerHooks(level);
  let reported = false;
  for (;;) {
    const record = loadContainer(id);
    if (!record) return;
    if (record.status === 'restarting' && record.stopRequested) {
      finish(id, record.exitCode ?? 0); // stopped while waiting to restart
      return;
    }
    const log = logWriter(id);
    let status: number;
    try {
      const running = await launch(record, level, { kind: 'capture', output: (stream, data) => log.write(stream, data) });
      if (!reported) {
        report({ started: id });
        reported = true;
      }
      const health = await healthWatcher(id, record.healthcheck !== undefined, level);
      status = exitStatus(await running.exited);
      health.stop();
      running.close();
      log.flush();
    } catch (error) {
      if (!reported) report({ error: (error as Error).message, hint: (error as { hint?: string }).hint, exitCode: (error as { exitCode?: number }).exitCode ?? 125 });
      return; // launch() has recorded the failure
    }
    const policy = record.restart;
    const restart = policy.policy === 'always' || (policy.policy === 'on-failure' && status !== 0 && (policy.maxRetries === 0 || record.restartCount < policy.maxRetries));
    const stopped = loadContainer(id)?.stopRequested === true; // carton stop: no restart
    if (!restart || stopped) {
      finish(id, status);
      return;
    }
    finish(id, status, undefined, true);
    await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** record.restartCount, 10_000))); // back off, as Docker does
  }
}

process.on('SIGHUP', () => {}); // the terminal that started `carton run -d` may go away
main().catch((error) => {
  report({ error: String(error), exitCode: 125 });
  process.exit(125);
});
