// "Run this chapter's container": the real carton CLI with the learner's code
// (CARTON_IMPL=exercises) and the chapter's stage (CARTON_CHAPTER). It needs root.
import chalk from 'chalk';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { workbookRoot } from './paths.js';

export function runContainer(chapter: string, print: (line: string) => void): void {
  if (process.getuid?.() !== 0) {
    print(chalk.yellow('A container needs root: quit and start the workbook with `sudo npm start`.'));
    return;
  }
  const number = chapter.split('-')[0];
  print(chalk.dim(`carton run --rm -it carton/busybox sh   (CARTON_IMPL=exercises CARTON_CHAPTER=${number}; type exit to come back)`));
  const result = spawnSync(join(workbookRoot(), 'lib', 'cli', 'carton'), ['run', '--rm', '-it', 'carton/busybox', 'sh'], {
    stdio: 'inherit',
    env: { ...process.env, CARTON_IMPL: 'exercises', CARTON_CHAPTER: number },
  });
  print(chalk.dim(`the container exited with status ${result.status ?? result.signal}`));
}
