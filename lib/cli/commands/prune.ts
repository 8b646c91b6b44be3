// carton container prune / carton system prune: remove every stopped container (and, for
// system prune, whatever crashed runs left in the volatile state).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from '../command.js';
import { reconcile, removeContainer } from '../../runtime/lifecycle.js';
import { runRoot } from '../../runtime/paths.js';
import { listContainers } from '../../runtime/state.js';
import { CartonError } from '../../sys/index.js';

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new CartonError('refusing to prune without confirmation', 'add -f (--force) to prune without a prompt');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

async function pruneContainers(): Promise<string[]> {
  reconcile();
  const removed: string[] = [];
  for (const c of listContainers().filter((c) => c.status === 'exited' || c.status === 'created')) {
    await removeContainer(c, false);
    removed.push(c.id);
  }
  return removed;
}

/** Volatile state of containers that no longer exist (left by a crash). */
function pruneRunDirs(): number {
  if (!existsSync(runRoot())) return 0;
  const known = new Set(listContainers().map((c) => c.id));
  let n = 0;
  for (const id of readdirSync(runRoot())) {
    if (/^[0-9a-f]{64}$/.test(id) && !known.has(id)) {
      rmSync(join(runRoot(), id), { recursive: true, force: true });
      n++;
    }
  }
  return n;
}

function command(name: string, summary: string, warning: string, system: boolean): Command {
  return {
    name,
    summary,
    usage: '[OPTIONS]',
    flags: [{ name: 'force', short: 'f', kind: 'bool', description: 'Do not prompt for confirmation' }],
    async run(flags) {
      if (!flags.force && !(await confirm(`WARNING! This will remove ${warning}.\nAre you sure you want to continue?`))) return 0;
      const removed = await pruneContainers();
      if (removed.length) process.stdout.write(`Deleted Containers:\n${removed.map((id) => id + '\n').join('')}\n`);
      if (system) pruneRunDirs();
      process.stdout.write(`Total reclaimed: ${removed.length} container(s)\n`);
      return 0;
    },
  };
}

export const containerPrune = command('container prune', 'Remove all stopped containers', 'all stopped containers', false);
export const systemPrune = command('system prune', 'Remove all stopped containers and what crashed runs left behind', 'all stopped containers and leftover state of crashed runs', true);
