// A small Docker-style flag parser: `-it`, `--name web`, `--name=web`, `-e A=1 -e B=2`,
// flags before the first operand, everything after the image is the container's command.
import { CartonError } from '../sys/index.js';

export interface FlagSpec {
  /** Long name without dashes: "name". */
  name: string;
  /** Short letter: "e". */
  short?: string;
  /** 'bool', a single 'string', or a repeatable 'list'. */
  kind: 'bool' | 'string' | 'list';
  description: string;
  /** Shown in help: `--memory bytes`. */
  value?: string;
  /** Other long names Docker takes for it (--net for --network), not shown in help. */
  aliases?: string[];
}

export type Flags = Record<string, boolean | string | string[] | undefined>;

export class UsageError extends CartonError {}

export interface Parsed {
  flags: Flags;
  operands: string[];
}

/**
 * Parse `args` against `specs`. With `stopAtOperand`, the first operand ends flag parsing
 * (for `run IMAGE CMD...`, whose command has flags of its own).
 */
export function parseArgs(command: string, args: string[], specs: FlagSpec[], stopAtOperand = false): Parsed {
  const flags: Flags = {};
  const operands: string[] = [];
  const byLong = new Map(specs.flatMap((s) => [[s.name, s] as const, ...(s.aliases ?? []).map((a) => [a, s] as const)]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const unknown = (flag: string) => new UsageError(`unknown flag: ${flag}`, `See 'carton ${command} --help'.`);

  const set = (spec: FlagSpec, value: string | undefined, next: () => string) => {
    if (spec.kind === 'bool') {
      if (value !== undefined && !['true', 'false'].includes(value)) throw new UsageError(`invalid value "${value}" for flag --${spec.name}: expected true or false`);
      flags[spec.name] = value !== 'false';
      return;
    }
    const v = value ?? next();
    if (spec.kind === 'string') flags[spec.name] = v;
    else flags[spec.name] = [...((flags[spec.name] as string[] | undefined) ?? []), v];
  };

  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const next = (flag: string) => () => {
      if (i + 1 >= args.length) throw new UsageError(`flag needs an argument: ${flag}`, `See 'carton ${command} --help'.`);
      return args[++i];
    };
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const [name, value] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      const spec = byLong.get(name);
      if (!spec) throw unknown(arg);
      set(spec, value, next(arg));
    } else if (arg.startsWith('-') && arg.length > 1) {
      // -it, -e A=1, -eA=1, -p8080:80
      for (let j = 1; j < arg.length; j++) {
        const spec = byShort.get(arg[j]);
        if (!spec) throw unknown(`-${arg[j]}`);
        if (spec.kind === 'bool') {
          set(spec, undefined, next(arg));
          continue;
        }
        const rest = arg.slice(j + 1);
        set(spec, rest === '' ? undefined : rest.replace(/^=/, ''), next(`-${arg[j]}`));
        break;
      }
    } else {
      operands.push(arg);
      if (stopAtOperand) {
        operands.push(...args.slice(i + 1));
        break;
      }
    }
  }
  return { flags, operands };
}

/** Too few (or, with `exact`, not exactly `count`) operands: Docker's words, and where to look. */
export function requireOperands(command: string, operands: string[], count: number, names = '', exact = false): void {
  if (exact ? operands.length === count : operands.length >= count) return;
  const what = `${exact ? 'exactly' : 'at least'} ${count} argument${count === 1 ? '' : 's'}${names ? `: ${names}` : ''}`;
  // Exit 1, as Docker's CLI for missing arguments (125 is for a bad flag).
  throw Object.assign(new UsageError(`"carton ${command}" requires ${what}`, `See 'carton ${command} --help'.`), { exitCode: 1 });
}
