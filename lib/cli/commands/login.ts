// carton login / logout: credentials for a registry, checked against it before they are
// saved in $CARTON_ROOT/auth.json (Docker's config.json "auths" format, mode 0600).
import type { Command } from '../command.js';
import { UsageError } from '../args.js';
import { authFile, imagesModule, refuseOffline } from '../../runtime/images.js';

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, '');
}

/** Ask on the terminal for what the flags did not give (prompts hides the password). */
async function ask(username: string | undefined, password: string | undefined): Promise<{ username: string; password: string }> {
  if (username && password) return { username, password };
  if (!process.stdin.isTTY) throw new UsageError('cannot ask for credentials: the input is not a terminal', 'use -u USER --password-stdin, with the password on standard input');
  const { default: prompts } = await import('prompts');
  const answers = await prompts([
    ...(username ? [] : [{ type: 'text' as const, name: 'username', message: 'Username' }]),
    { type: 'password' as const, name: 'password', message: 'Password' },
  ]);
  return { username: username ?? answers.username ?? '', password: password ?? answers.password ?? '' };
}

export const login: Command = {
  name: 'login', summary: 'Log in to a registry', usage: '[OPTIONS] [SERVER]',
  flags: [
    { name: 'username', short: 'u', kind: 'string', value: 'string', description: 'Username' },
    { name: 'password', short: 'p', kind: 'string', value: 'string', description: 'Password (visible to other users in ps: prefer --password-stdin)' },
    { name: 'password-stdin', kind: 'bool', description: 'Take the password from stdin' },
  ],
  details: 'With no SERVER, Docker Hub (docker.io). The credentials are verified with the registry before they are saved.',
  async run(flags, operands) {
    if (operands.length > 1) throw new UsageError('login takes at most one server');
    if (flags['password-stdin'] && flags.password !== undefined) throw new UsageError('--password and --password-stdin are mutually exclusive');
    if (flags['password-stdin'] && !flags.username) throw new UsageError('must provide --username with --password-stdin');
    const password = flags['password-stdin'] ? await readStdin() : (flags.password as string | undefined);
    const creds = await ask(flags.username as string | undefined, password);
    const images = await imagesModule();
    refuseOffline('log in to', images.registryName(operands[0]));
    await images.login(operands[0] ?? '', creds.username, creds.password, authFile());
    process.stdout.write('Login Succeeded\n');
    return 0;
  },
};

export const logout: Command = {
  name: 'logout', summary: 'Log out from a registry', usage: '[SERVER]', flags: [],
  async run(_flags, operands) {
    const images = await imagesModule();
    const name = images.registryName(operands[0]);
    const had = images.logout(operands[0], authFile());
    process.stdout.write(had ? `Removing login credentials for ${name}\n` : `Not logged in to ${name}\n`);
    return 0;
  },
};
