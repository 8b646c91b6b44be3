// carton container prune / carton system prune: remove every stopped container (and, for
// system prune, unused networks, dangling images and what crashed runs left behind).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../command.js';
import { confirm } from '../each.js';
import { bytes } from '../progress.js';
import { removeStaleViews } from '../../runtime/container-fs.js';
import * as engine from '../../runtime/engine.js';
import { runRoot } from '../../runtime/paths.js';
import { listContainers } from '../../runtime/state.js';

async function pruneContainers(): Promise<string[]> {
  await engine.recover();
  const removed: string[] = [];
  for (const c of listContainers().filter((c) => c.status === 'exited' || c.status === 'created' || c.status === 'dead')) {
    await engine.remove(c);
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
      if (!system) {
        process.stdout.write(`Total reclaimed: ${removed.length} container(s)\n`);
        return 0;
      }
      pruneRunDirs();
      removeStaleViews();
      const networks = await (await import('./network.js')).pruneNetworks();
      if (networks.length) process.stdout.write(`Deleted Networks:\n${networks.map((n) => n + '\n').join('')}\n`);
      const images = await (await import('./images.js')).pruneImages(false, true); // the build cache too
      if (images.lines) process.stdout.write(`Deleted Images:\n${images.lines}\n`);
      process.stdout.write(`Total reclaimed space: ${bytes(images.bytes)} (${removed.length} container(s), ${networks.length} network(s))\n`);
      return 0;
    },
  };
}

export const containerPrune = command('container prune', 'Remove all stopped containers', 'all stopped containers', false);
export const systemPrune = command('system prune', 'Remove stopped containers, unused networks, dangling images and what crashed runs left behind', 'all stopped containers, all networks not used by at least one container, all dangling images and leftover state of crashed runs', true);
