// The output of a project's containers, interleaved as Docker Compose shows it: each line
// prefixed by its container's name, padded to the longest ("app-web-1  | "), in a colour per
// service on a terminal. Follows the containers' json logs (carton's monitors write them).
import chalk from 'chalk';
import { readLog } from '../runtime/logs.js';
import { loadContainer, type ContainerRecord } from '../runtime/state.js';
import { serviceOf } from './engine.js';

const COLOURS = [chalk.cyan, chalk.yellow, chalk.green, chalk.magenta, chalk.blue, chalk.cyanBright, chalk.yellowBright, chalk.greenBright, chalk.magentaBright, chalk.blueBright];

export interface FollowOptions {
  follow: boolean;
  tail: number;
  timestamps: boolean;
  prefix: boolean;
  colour: boolean;
  /** Where to start in each container's log (up, attached: what was there before it is not shown). */
  from?: Map<string, number>;
  /** Follow ends when this says so (Ctrl-C, or --abort-on-container-exit). */
  stop?: () => boolean;
  /** Said when a followed container exits: "app-web-1 exited with code 0". */
  onExit?: (c: ContainerRecord) => void;
  /** Containers whose exit was said already (by an earlier call). */
  reported?: Set<string>;
}

/** Print the containers' logs; with `follow`, until every one has exited (and is printed) or `stop()`. */
export async function printLogs(list: () => ContainerRecord[], o: FollowOptions): Promise<{ offsets: Map<string, number>; reported: Set<string> }> {
  const offsets = new Map<string, number>(o.from ?? []);
  const done = o.reported ?? new Set<string>();
  const services: string[] = [];
  const colourOf = (c: ContainerRecord) => {
    if (!services.includes(serviceOf(c))) services.push(serviceOf(c));
    return COLOURS[services.indexOf(serviceOf(c)) % COLOURS.length];
  };
  const pass = (first: boolean) => {
    const containers = list();
    const width = Math.max(0, ...containers.map((c) => c.name.length));
    for (const c of containers) {
      const running = loadContainer(c.id);
      const status = running?.status;
      const { entries, offset } = readLog(c.id, offsets.get(c.id) ?? 0);
      offsets.set(c.id, offset);
      const shown = first && o.tail !== Infinity ? entries.slice(Math.max(0, entries.length - o.tail)) : entries;
      const prefix = o.prefix ? (o.colour ? colourOf(c)(`${c.name.padEnd(width)}  | `) : `${c.name.padEnd(width)}  | `) : '';
      for (const e of shown) {
        const text = `${prefix}${o.timestamps ? `${e.time} ` : ''}${e.log}${e.log.endsWith('\n') ? '' : '\n'}`;
        (e.stream === 'stderr' && !o.prefix ? process.stderr : process.stdout).write(text);
      }
      if (status === 'exited' && !done.has(c.id)) {
        done.add(c.id);
        if (running) o.onExit?.(running);
      }
    }
    return containers.every((c) => done.has(c.id) || !loadContainer(c.id));
  };
  let finished = pass(true);
  if (o.follow) {
    while (!(finished && list().length > 0) && !o.stop?.()) {
      await new Promise((r) => setTimeout(r, 100));
      finished = pass(false);
    }
  }
  return { offsets, reported: done };
}
