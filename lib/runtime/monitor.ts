// The monitor of a detached container (conmon is the model): started by `carton run -d`
// in a session of its own, it starts the container with its output going to the log,
// tells carton "started" on fd 3, then waits, records the exit, applies the restart policy,
// and removes the container for --rm. One small Node process per detached container.
import { writeSync } from 'node:fs';
import { exitStatus, finish, healthWatcher, launch, markExit, markLogError } from './lifecycle.js';
import { logPath, logWriter } from './logs.js';
import { serveAttach } from './attach.js';
import { registerHooks } from './hooks.js';
import { loadContainer, updateContainer } from './state.js';

const REPORT_FD = 3;

function report(message: unknown): void {
  try {
    writeSync(REPORT_FD, JSON.stringify(message) + '\n');
  } catch {
    // carton run -d has gone (it only waits for the first message)
  }
}

/**
 * Record the container's end. On a full disk the record cannot be written: rather than die
 * and leave crash recovery to report 255, the monitor keeps the status in a file's name
 * (markExit) for the next command to record, and ends. Returns whether it was recorded.
 */
function recordEnd(id: string, status: number, write: () => void): boolean {
  try {
    write();
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOSPC' && code !== 'EDQUOT') throw error;
    markExit(id, status);
    return false;
  }
}

async function main(): Promise<void> {
  const [id, levelText, holdFor] = process.argv.slice(2);
  const level = Number(levelText);
  // "hold:ROWSxCOLUMNS": carton run -it attaches as soon as the container starts; until then
  // its output is held for it, and its terminal has the size of the user's.
  const hold = /^hold:(\d+)x(\d+)$/.exec(holdFor ?? '');
  await registerHooks(level);
  let reported = false;
  for (;;) {
    const record = loadContainer(id);
    if (!record) return;
    if (record.status === 'restarting' && record.stopRequested) {
      finish(id, record.exitCode ?? 0); // stopped while waiting to restart
      return;
    }
    // A failed log write is recorded in the container's state (if the disk lets us), never fatal.
    const log = logWriter(id, (error) => {
      const why = `writing the log ${logPath(id)}: ${error.code ?? error.message}; output was lost from ${new Date().toISOString()}`;
      try {
        updateContainer(id, (r) => (r.logError = why));
      } catch {
        markLogError(id, error.code ?? 'EIO'); // the record cannot take it either: an empty file's name does
      }
    }, record.log);
    let status: number;
    let close: ReturnType<typeof serveAttach>['close'];
    let send: (stream: 'stdout' | 'stderr', data: Buffer) => void = () => {};
    const holding = !!hold && !reported;
    try {
      const running = await launch(record, level, { kind: 'capture', output: (stream, data) => {
        log.write(stream, data);
        send(stream, data); // to `carton attach` clients
      }, ...(holding ? { size: { rows: Number(hold[1]), columns: Number(hold[2]) } } : {}) });
      const attached = serveAttach(id, running, holding);
      send = attached.broadcast;
      if (!reported) {
        report({ started: id });
        reported = true;
      }
      const health = await healthWatcher(id, record.healthcheck !== undefined, level);
      status = exitStatus(await running.exited);
      // run -it's carton attaches right after "started": a container that ended first waits
      // for it (the record and the socket must still be there), unless it never comes.
      if (holding) await attached.firstClient(10_000);
      health.stop();
      running.close();
      log.flush();
      close = attached.close;
    } catch (error) {
      if (!reported) report({ error: (error as Error).message, hint: (error as { hint?: string }).hint, exitCode: (error as { exitCode?: number }).exitCode ?? 125 });
      return; // launch() has recorded the failure
    }
    const policy = record.restart;
    const restart = policy.policy === 'always' || (policy.policy === 'on-failure' && status !== 0 && (policy.maxRetries === 0 || record.restartCount < policy.maxRetries));
    const stopped = loadContainer(id)?.stopRequested === true; // carton stop: no restart
    if (!restart || stopped) {
      let oomKilled = false;
      recordEnd(id, status, () => (oomKilled = finish(id, status).oomKilled));
      close({ status, oomKilled }); // attached clients learn the end last: it is recorded by then
      return;
    }
    close();
    if (!recordEnd(id, status, () => finish(id, status, undefined, true))) return; // no restart on a full disk
    await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** record.restartCount, 10_000))); // back off, as Docker does
  }
}

process.on('SIGHUP', () => {}); // the terminal that started `carton run -d` may go away
main().catch((error) => {
  report({ error: String(error), exitCode: 125 });
  process.exit(125);
});
