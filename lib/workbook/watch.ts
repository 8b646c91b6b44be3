// `npm start -- watch`: check the current exercise whenever its file is saved, and move on
// to the next one when it passes (rustlings' watch mode). fs.watch where the file system
// sends events, fs.watchFile (polling) where it cannot, or when CARTON_WORKBOOK_POLL=1.
import chalk from 'chalk';
import { watch as fsWatch, watchFile, unwatchFile, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { exercises, type Exercise } from '../exercises/index.js';
import { check } from './commands.js';
import { statePath, workbookRoot } from './paths.js';
import { loadProgress, nextExercise } from './state.js';

function onChange(file: string, callback: () => void): () => void {
  if (process.env.CARTON_WORKBOOK_POLL !== '1') {
    try {
      const watcher: FSWatcher = fsWatch(file, callback);
      return () => watcher.close();
    } catch {
      // no inotify here (or too many watches): poll instead
    }
  }
  watchFile(file, { interval: 500 }, callback);
  return () => unwatchFile(file);
}

export async function watch(print: (line: string) => void): Promise<void> {
  let current: Exercise | undefined;
  let stop = () => {};
  let busy = false;
  let again = false;

  const run = async (): Promise<void> => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    do {
      again = false;
      const [result] = await check([current!], print);
      if (result.passed) {
        const next = nextExercise(loadProgress(statePath()), exercises);
        if (!next) {
          print(chalk.green.bold('\nEvery exercise passes. Well done!'));
          stop();
          return;
        }
        follow(next);
        again = true;
      }
    } while (again);
    busy = false;
    print(chalk.dim(`\nwatching exercises/${current!.file} — save it to check again (Ctrl-C to stop)`));
  };

  const follow = (e: Exercise): void => {
    stop();
    current = e;
    print(chalk.cyan(`\n→ ${e.name}: write ${e.functions.join(', ')} in exercises/${e.file}`));
    let timer: NodeJS.Timeout | undefined;
    stop = onChange(join(workbookRoot(), 'exercises', e.file), () => {
      clearTimeout(timer);
      timer = setTimeout(() => void run(), 150);
    });
  };

  const first = nextExercise(loadProgress(statePath()), exercises);
  if (!first) {
    print(chalk.green('Every exercise passes already.'));
    return;
  }
  follow(first);
  await run();
}
