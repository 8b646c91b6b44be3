// Turn flag words back into the names a reader finds in the man page:
// 0x5000 prints as MS_BIND|MS_REC. runc's stringifyMountFlags does the same.
import * as C from './constants.js';

function table(prefix: string): Array<[string, number]> {
  return Object.entries(C)
    .filter((e): e is [string, number] => e[0].startsWith(prefix) && typeof e[1] === 'number' && e[1] > 0)
    .sort((a, b) => a[1] - b[1]);
}

const tables: Record<string, Array<[string, number]>> = {
  MS_: table('MS_'),
  CLONE_: table('CLONE_'),
  MNT_: table('MNT_'),
};

/** Name the bits of `value` using the constants that start with `prefix`. */
export function flagNames(value: number, prefix: 'MS_' | 'CLONE_' | 'MNT_'): string {
  if (value === 0) return '0';
  const names: string[] = [];
  let rest = value >>> 0;
  for (const [name, bit] of tables[prefix]) {
    // Only single-bit constants name a bit; skip aliases of combined values.
    if ((bit & (bit - 1)) === 0 && (rest & bit) === bit) {
      names.push(name);
      rest &= ~bit >>> 0;
    }
  }
  if (rest !== 0) names.push(`0x${rest.toString(16)}`);
  return names.join('|');
}
