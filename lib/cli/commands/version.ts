import { readFileSync } from 'node:fs';
import type { Command } from '../command.js';
import { IMPL } from '../../impl.js';

export const version: Command = {
  name: 'version',
  summary: 'Show the carton version, and which implementation (solutions or exercises) it runs',
  usage: '',
  flags: [],
  async run() {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url.replace('/dist/', '/')), 'utf8')) as { version: string };
    process.stdout.write(`carton version ${pkg.version}\nimplementation: ${IMPL}\nnode: ${process.version}\n`);
    return 0;
  },
};
