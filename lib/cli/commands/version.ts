import { readFileSync } from 'node:fs';
import type { Command } from '../command.js';
import { IMPL } from '../../impl.js';

export const version: Command = {
  name: 'version',
  summary: 'Show the carton version, and which implementation (solutions or exercises) it runs',
  usage: '',
  flags: [{ name: 'format', short: 'f', kind: 'string', value: 'string', description: "Format the output: 'json', or a Go template ('{{.Client.Version}}')" }],
  async run(flags) {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url.replace('/dist/', '/')), 'utf8')) as { version: string };
    const shape = { Client: { Version: pkg.version, Implementation: IMPL, NodeVersion: process.version, Os: process.platform, Arch: process.arch } };
    const format = flags.format as string | undefined;
    if (format === 'json') process.stdout.write(JSON.stringify(shape) + '\n');
    else if (format) process.stdout.write((await import('../template.js')).renderTemplate(format, shape) + '\n');
    else process.stdout.write(`carton version ${pkg.version}\nimplementation: ${IMPL}\nnode: ${process.version}\n`);
    return 0;
  },
};
