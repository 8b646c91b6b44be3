// carton's command line: find the verb, parse its flags, run it, print errors one way.
import { renderError } from './render.js';
import { parseArgs, UsageError } from './args.js';
import { helpText, type Command } from './command.js';
import { run } from './commands/run.js';
import { doctor } from './commands/doctor.js';
import { version } from './commands/version.js';

const commands: Command[] = [run, doctor, version];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 3;
  return [
    'Usage:  carton [OPTIONS] COMMAND',
    '',
    'A daemonless container runtime, built chapter by chapter in "Containers from Scratch".',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    "Run 'carton COMMAND --help' for more information on a command.",
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h') {
    process.stdout.write(usage());
    return verb === undefined ? 1 : 0;
  }
  if (verb === '--version' || verb === '-v') return version.run({}, []);
  const helpFor = verb === 'help' ? rest[0] : undefined;
  const command = commands.find((c) => c.name === (helpFor ?? verb));
  if (verb === 'help' && !helpFor) {
    process.stdout.write(usage());
    return 0;
  }
  if (!command) {
    process.stderr.write(renderError(new UsageError(`'${helpFor ?? verb}' is not a carton command`, "See 'carton --help'.")));
    return 125;
  }
  if (helpFor || rest[0] === '--help' || (!command.stopAtOperand && rest.includes('--help'))) {
    process.stdout.write(helpText(command));
    return 0;
  }
  try {
    const { flags, operands } = parseArgs(command.name, rest, command.flags, command.stopAtOperand);
    if (flags.help) {
      process.stdout.write(helpText(command));
      return 0;
    }
    return await command.run(flags, operands);
  } catch (error) {
    process.stderr.write(renderError(error));
    const code = (error as { exitCode?: number }).exitCode;
    return typeof code === 'number' ? code : 125;
  }
}
