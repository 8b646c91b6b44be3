// "Run this chapter's container": the real carton CLI with the learner's code
// (CARTON_IMPL=exercises, with the chapters they skipped on the reference code) and the
// chapter's stage (CARTON_CHAPTER). It needs root. containerRuns is the check a chapter needs
// to count as done: the same container, running `true`, exits 0.
import chalk from 'chalk';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { exercises } from '../exercises/index.js';
import { statePath, workbookRoot } from './paths.js';
import { recordContainer } from './state.js';

function carton(chapter: string, args: string[], interactive: boolean) {
  const env = { ...process.env, CARTON_IMPL: 'exercises', CARTON_CHAPTER: String(parseInt(chapter, 10)) };
  return spawnSync(join(workbookRoot(), 'lib', 'cli', 'carton'), args, interactive ? { stdio: 'inherit', env } : { encoding: 'utf8', env });
}

export function runContainer(chapter: string, print: (line: string) => void): void {
  if (process.getuid?.() !== 0) {
    print(chalk.yellow('A container needs root: quit and start the workbook with `sudo npm start`.'));
    return;
  }
  const number = parseInt(chapter, 10);
  print(chalk.dim(`CARTON_IMPL=exercises CARTON_CHAPTER=${number} lib/cli/carton run --rm -it carton/busybox sh   (type exit to come back)`));
  const result = carton(chapter, ['run', '--rm', '-it', 'carton/busybox', 'sh'], true);
  print(chalk.dim(`the container exited with status ${result.status ?? result.signal}`));
}

/** Run `true` in the chapter's container with the learner's code; record and say whether it ran. */
export function containerRuns(chapter: string, print: (line: string) => void): boolean | undefined {
  if (process.getuid?.() !== 0) {
    print(chalk.yellow(`${chapter}'s container was not tried: it needs root (sudo npm start)`));
    return undefined;
  }
  const result = carton(chapter, ['run', '--rm', 'carton/busybox', 'true'], false);
  const ran = result.status === 0;
  recordContainer(statePath(), chapter, ran, exercises);
  if (ran) print(`${chalk.green('✓ runs')}  ${chalk.bold(`${chapter}'s container`)}  ${chalk.dim(`CARTON_CHAPTER=${parseInt(chapter, 10)} carton run --rm carton/busybox true`)}`);
  else print(`${chalk.red('✗ does not run')}  ${chalk.bold(`${chapter}'s container`)} (status ${result.status ?? result.signal})\n    ${chalk.red(String(result.stderr ?? '').trim())}`);
  return ran;
}
