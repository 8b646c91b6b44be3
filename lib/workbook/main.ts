// `npm start`: the workbook. With no arguments, the interactive menus; with a subcommand,
// one action for scripts and tests.
import chalk from 'chalk';
import { exercises } from '../exercises/index.js';
import { UsageError, check, hint, list, reset, restore, resumeChapterCommand, select, skipChapterCommand, solution } from './commands.js';
import { mainMenu } from './menu.js';
import { watch } from './watch.js';

const USAGE = `usage: npm start [-- COMMAND]

  (no command)            the menus: chapters, lessons, your progress, checks, hints
  list                    every chapter and exercise, with your progress
  check [EXERCISE|NN]     run the tests of one exercise, one chapter, or all, against your
                          code; once a chapter's exercises pass, try its container too
  hint EXERCISE           the next hint step (the idea, then the calls, then nearly the answer)
  watch                   check the current exercise each time its file is saved
  reset EXERCISE          put that exercise's functions back as committed (the rest of the
                          file stays); a backup goes to .carton-workbook-backups/
  reset NN | all          put a chapter's files (or all) back, with backups
  restore EXERCISE        undo a reset: the newest backup of the exercise's file comes back
  solution EXERCISE       your file beside the reference solution, once yours passes
  skip-chapter NN         skip a chapter: with CARTON_IMPL=exercises it runs the reference code
  resume-chapter NN       take a skipped chapter back
  help                    this text

Your own test runs count too: CARTON_IMPL=exercises npx vitest run test/NN-... records progress.
CARTON_SOLUTIONS=3,5 (or 1-4) picks the reference code for those chapters in one command.`;

async function main(args: string[]): Promise<number> {
  const [command, what] = args;
  const print = (line: string) => console.log(line);
  switch (command) {
    case undefined: await mainMenu(); return 0;
    case 'list': print(list()); return 0;
    case 'check': {
      const results = await check(what ? select(what) : exercises, print);
      return results.every((r) => r.passed) ? 0 : 1;
    }
    case 'hint': select(what).forEach((e) => print(hint(e))); return 0;
    case 'watch': await watch(print); return 0;
    case 'reset': print(reset(what)); return 0;
    case 'restore': print(restore(what)); return 0;
    case 'solution': select(what).forEach((e) => process.stdout.write(solution(e))); return 0;
    case 'skip-chapter': print(skipChapterCommand(what)); return 0;
    case 'resume-chapter': print(resumeChapterCommand(what)); return 0;
    case 'help': case '--help': case '-h': print(USAGE); return 0;
    default: throw new UsageError(`unknown command "${command}"\n${USAGE}`);
  }
}

// `npm start -- list | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: Error) => {
    console.error(chalk.red(error instanceof UsageError ? error.message : error.stack ?? error.message));
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
