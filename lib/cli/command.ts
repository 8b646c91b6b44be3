// What every `carton VERB` module provides: its flags (for parsing and --help) and run().
import type { FlagSpec, Flags } from './args.js';

export interface Command {
  name: string;
  summary: string;
  /** After `carton NAME`: "[OPTIONS] IMAGE [COMMAND] [ARG...]". */
  usage: string;
  flags: FlagSpec[];
  /** Stop parsing flags at the first operand (run, exec: the command has its own flags). */
  stopAtOperand?: boolean;
  /** Longer text for `carton help NAME`. */
  details?: string;
  run(flags: Flags, operands: string[]): Promise<number>;
}

export function helpText(command: Command): string {
  const lines = [`Usage:  carton ${command.name} ${command.usage}`, '', command.summary, ''];
  if (command.flags.length) {
    lines.push('Options:');
    const rows = [...command.flags, { name: 'help', kind: 'bool', description: 'Print usage' } as FlagSpec].map((f) => {
      const left = `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.kind === 'bool' ? '' : ` ${f.value ?? (f.kind === 'list' ? 'list' : 'string')}`}`;
      return [left, f.description];
    });
    const width = Math.max(...rows.map((r) => r[0].length)) + 3;
    for (const [left, right] of rows) lines.push(`  ${left.padEnd(width)}${right}`);
  }
  if (command.details) lines.push('', command.details.trim());
  return lines.join('\n') + '\n';
}
