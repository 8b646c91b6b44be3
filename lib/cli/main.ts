// carton's command line: find the verb, parse its flags, run it, print errors one way.
// Verbs are loaded on demand, so a command pays only for the modules it uses.
import { renderError } from './render.js';
import { parseArgs, UsageError } from './args.js';
import { helpText, type Command } from './command.js';

const verbs: Record<string, { summary: string; load: () => Promise<Command> }> = {
  run: { summary: 'Create and run a new container from an image', load: async () => (await import('./commands/run.js')).run },
  doctor: { summary: 'Check that this machine can run containers, and say what to install if not', load: async () => (await import('./commands/doctor.js')).doctor },
  version: { summary: 'Show the carton version and which implementation it runs', load: async () => (await import('./commands/version.js')).version },
};

function usage(): string {
  const width = Math.max(...Object.keys(verbs).map((name) => name.length)) + 3;
  return [
    'Usage:  carton [OPTIONS] COMMAND',
    '',
    'A daemonless container runtime, built chapter by chapter in "Containers from Scratch".',
    '',
    'Commands:',
    ...Object.entries(verbs).map(([name, v]) => `  ${name.padEnd(width)}${v.summary}`),
    '',
    "Run 'carton COMMAND --help' for more information on a command.",
    '',
  ].join('\n');
}

async function fail(error: unknown): Promise<number> {
  process.stderr.write(await renderError(error));
  const code = (error as { exitCode?: number }).exitCode;
  return typeof code === 'number' ? code : 125;
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || (verb === 'help' && rest.length === 0)) {
    process.stdout.write(usage());
    return verb === undefined ? 1 : 0;
  }
  const name = verb === 'help' ? rest[0] : verb === '--version' || verb === '-v' ? 'version' : verb;
  const entry = verbs[name];
  if (!entry) return fail(new UsageError(`'${name}' is not a carton command`, "See 'carton --help'."));
  try {
    const command = await entry.load();
    if (verb === 'help' || rest[0] === '--help' || (!command.stopAtOperand && rest.includes('--help'))) {
      process.stdout.write(helpText(command));
      return 0;
    }
    const { flags, operands } = parseArgs(command.name, verb === name ? rest : [], command.flags, command.stopAtOperand);
    if (flags.help) {
      process.stdout.write(helpText(command));
      return 0;
    }
    return await command.run(flags, operands);
  } catch (error) {
    return fail(error);
  }
}
