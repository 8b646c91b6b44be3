// Docker's `--change` (commit, import): one Dockerfile instruction that edits the image's
// run-time config rather than its files: CMD, ENTRYPOINT, ENV, WORKDIR, USER, EXPOSE,
// LABEL, VOLUME, STOPSIGNAL. Arguments follow the Dockerfile's rules: JSON form ["a","b"]
// or shell form (run by /bin/sh -c), KEY=VALUE pairs with quotes and backslashes.
// A Dockerfile parser reuses parseInstruction and applyChange.
import { posix } from 'node:path';
import { CartonError } from '../../lib/sys/index.js';
import type { ImageConfig } from './types.js';

export type RunConfig = NonNullable<ImageConfig['config']>;

export const CHANGE_INSTRUCTIONS = ['CMD', 'ENTRYPOINT', 'ENV', 'WORKDIR', 'USER', 'EXPOSE', 'LABEL', 'VOLUME', 'STOPSIGNAL'] as const;

function bad(text: string, why: string, hint?: string): never {
  throw new CartonError(`parse change ${JSON.stringify(text)}: ${why}`, hint ?? `e.g. --change 'CMD ["sh"]', --change 'ENV A=1 B="two words"', --change 'EXPOSE 80/tcp'; known: ${CHANGE_INSTRUCTIONS.join(', ')}`);
}

/** "CMD [\"a\"]" → { instruction: "CMD", args: "[\"a\"]" }. */
export function parseInstruction(text: string): { instruction: string; args: string } {
  const m = /^\s*([A-Za-z]+)(?:\s+([\s\S]*?))?\s*$/.exec(text);
  if (!m) bad(text, 'not an instruction');
  return { instruction: m[1].toUpperCase(), args: m[2] ?? '' };
}

/** Split shell-like words: quotes group, a backslash escapes; the quotes are removed. */
export function words(text: string, whole: string): string[] {
  const out: string[] = [];
  let word: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i];
    } else if (/\s/.test(c)) {
      if (word !== null) out.push(word);
      word = null;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) bad(whole, `unterminated ${quote} quote`);
  if (word !== null) out.push(word);
  return out;
}

/** The JSON form ["a", "b"], if the arguments are one (Docker takes anything else as text). */
function jsonList(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const list = JSON.parse(args) as unknown;
    if (Array.isArray(list) && list.every((s) => typeof s === 'string')) return list;
  } catch {
    // not JSON
  }
  return undefined;
}

/** The JSON form as it is, else the shell form run by /bin/sh -c. */
function command(args: string, whole: string): string[] {
  const list = jsonList(args);
  if (list) return list;
  if (args === '') bad(whole, 'no command');
  return ['/bin/sh', '-c', args];
}

/** KEY=VALUE pairs; the legacy form "KEY some value" sets one key to the rest of the line. */
function pairs(args: string, whole: string): Array<[string, string]> {
  const list = words(args, whole);
  if (list.length === 0) bad(whole, 'no KEY=VALUE');
  if (!list[0].includes('=')) {
    const m = /^(\S+)\s+([\s\S]+)$/.exec(args);
    if (!m) bad(whole, 'expected KEY=VALUE or KEY VALUE');
    return [[m[1], m[2]]];
  }
  return list.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) bad(whole, `${JSON.stringify(w)} is not KEY=VALUE`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/** Apply one change to `config` (a copy is returned; the argument is not modified). */
export function applyChange(config: RunConfig, text: string): RunConfig {
  const out: RunConfig = structuredClone(config);
  const { instruction, args } = parseInstruction(text);
  switch (instruction) {
    case 'CMD': out.Cmd = command(args, text); break;
    case 'ENTRYPOINT': out.Entrypoint = command(args, text); break;
    case 'ENV': {
      const env = out.Env ?? [];
      for (const [key, value] of pairs(args, text)) {
        const i = env.findIndex((e) => e.split('=')[0] === key);
        if (i >= 0) env[i] = `${key}=${value}`;
        else env.push(`${key}=${value}`);
      }
      out.Env = env;
      break;
    }
    case 'LABEL': out.Labels = { ...out.Labels, ...Object.fromEntries(pairs(args, text)) }; break;
    case 'WORKDIR': {
      const [dir] = words(args, text);
      if (!dir) bad(text, 'no directory');
      out.WorkingDir = posix.resolve(out.WorkingDir || '/', dir);
      break;
    }
    case 'USER': {
      const [user, ...rest] = words(args, text);
      if (!user || rest.length) bad(text, 'expected one USER[:GROUP]');
      out.User = user;
      break;
    }
    case 'EXPOSE': {
      const ports = words(args, text);
      if (ports.length === 0) bad(text, 'no port');
      for (const p of ports) {
        const m = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp|sctp))?$/i.exec(p);
        if (!m || Number(m[1]) > 65535 || Number(m[2] ?? m[1]) > 65535 || Number(m[2] ?? m[1]) < Number(m[1])) bad(text, `invalid port ${JSON.stringify(p)}`, 'a port is NUMBER[/tcp|udp|sctp], or a range 8000-8010/tcp');
        const proto = (m[3] ?? 'tcp').toLowerCase();
        for (let port = Number(m[1]); port <= Number(m[2] ?? m[1]); port++) (out.ExposedPorts ??= {})[`${port}/${proto}`] = {};
      }
      break;
    }
    case 'VOLUME': {
      const paths = jsonList(args) ?? words(args, text);
      if (paths.length === 0) bad(text, 'no path');
      for (const p of paths) (out.Volumes ??= {})[p] = {};
      break;
    }
    case 'STOPSIGNAL': {
      const [signal] = words(args, text);
      if (!signal) bad(text, 'no signal');
      out.StopSignal = signal;
      break;
    }
    default:
      bad(text, `${instruction} cannot be changed here`);
  }
  return out;
}

/** Apply `changes` in order. */
export function applyChanges(config: RunConfig, changes: string[]): RunConfig {
  return changes.reduce(applyChange, config);
}
