// carton doctor: chapter 00's checks, printed.
import chalk from 'chalk';
import type { Command } from '../command.js';
import { runChecks } from '../../../solutions/00-doctor/index.js';

const mark = { ok: chalk.green('✓'), warn: chalk.yellow('!'), missing: chalk.red('✗') };

export const doctor: Command = {
  name: 'doctor',
  summary: 'Check that this machine can run containers, and say what to install if not',
  usage: '[OPTIONS]',
  flags: [{ name: 'format', kind: 'string', value: 'string', description: 'Output format: "json"' }],
  async run(flags) {
    const checks = runChecks();
    if (flags.format === 'json') {
      process.stdout.write(JSON.stringify(checks, null, 2) + '\n');
    } else {
      const width = Math.max(...checks.map((c) => c.name.length)) + 2;
      for (const check of checks) {
        const fix = check.fix ? chalk.dim(`  → ${check.fix}`) : '';
        process.stdout.write(`${mark[check.status]} ${check.name.padEnd(width)}${check.detail}${fix}\n`);
      }
    }
    return checks.some((c) => c.status === 'missing') ? 1 : 0;
  },
};
