// `npm start`: the workbook. With no arguments, the interactive menus; with a subcommand,
// one action for scripts and tests: list, check, hint, watch, reset, solution.
import chalk from 'chalk';
import { exercises } from '../exercises/index.js';
import { UsageError, check, hint, list, reset, select, solution } from './commands.js';
import { mainMenu } from './menu.js';
import { watch } from './watch.js';

const USAGE = `usage: npm start [-- list | check <exercise|chapter> | hint <exercise> | watch | reset <exercise|chapter|all> | solution <exercise>]`;

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
    case 'solution': select(what).forEach((e) => process.stdout.write(solution(e))); return 0;
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
