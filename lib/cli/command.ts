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

/** `carton help VERB`: the same facts laid out as a manual page. */
export function manualText(command: Command): string {
  const options = command.flags.map((f) => {
    const name = `${f.short ? `-${f.short}, ` : ''}--${f.name}${f.kind === 'bool' ? '' : ` ${f.value ?? (f.kind === 'list' ? 'list' : 'string')}`}`;
    return `       ${name}\n              ${f.description}${f.kind === 'list' ? ' (may be repeated)' : ''}\n`;
  });
  const sections = [
    `CARTON-${command.name.toUpperCase().replace(' ', '-')}(1)`,
    '',
    'NAME',
    `       carton ${command.name} - ${command.summary.charAt(0).toLowerCase()}${command.summary.slice(1)}`,
    '',
    'SYNOPSIS',
    `       carton ${command.name} ${command.usage}`,
    '',
  ];
  if (options.length) sections.push('OPTIONS', ...options);
  if (command.details) sections.push('DETAILS', ...command.details.trim().split('\n').map((l) => (l ? `       ${l}` : '')), '');
  sections.push('SEE ALSO', `       carton ${command.name} --help, carton --help, chapters/ (the book)`, '');
  return sections.join('\n');
}
