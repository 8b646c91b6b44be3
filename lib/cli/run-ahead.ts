// A foreground `carton run` starts its container's first process before anything else, so
// that the stage's Node boots, and loads its chapters, on the other core while this process
// loads the run command, resolves the image and writes the record (#19: it saves about a
// Node start). Only the run's flags are read here, with run's own table; a mistake costs
// nothing but the early spawn, because the start takes a stage started ahead only if its
// stdio and namespaces are the ones it needs (stage-ahead.ts), and reports every error itself.
import { parseArgs, type Flags } from './args.js';
import { RUN_FLAGS } from './commands/run-flags.js';

export async function bootForRun(argv: string[]): Promise<void> {
  if (process.env.CARTON_STAGE_AHEAD === '0') return; // what it saves: npm run bench compares
  let flags: Flags;
  try {
    flags = parseArgs('run', argv, RUN_FLAGS, true).flags;
  } catch {
    return; // the run itself reports it
  }
  // -d: its monitor starts it; -t on a terminal: its monitor too (run -it attaches to it).
  if (flags.help || flags.detach || (flags.tty && process.stdin.isTTY)) return;
  // Not through the engine, on purpose: this starts no container, only a process that waits
  // for one, and the engine's modules are what the early spawn must not wait for.
  const { bootAhead } = await import('../runtime/stage-ahead.js');
  await bootAhead({ tty: !!flags.tty, interactive: !!flags.interactive, logged: flags['log-driver'] !== 'none' });
}
