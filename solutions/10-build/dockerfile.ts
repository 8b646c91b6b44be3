// Chapter 10 — reading a Dockerfile (the Dockerfile reference: "Format", "Parser
// directives", "Here-Documents"): parser directives at the very top (# escape=, # syntax=),
// comment lines, instructions continued over lines by the escape character at a line's end,
// here-documents (RUN <<EOF … EOF), and for each instruction its keyword, its --flags and
// its arguments, in JSON (exec) form when they are a JSON list of strings.
import { CartonError } from '../../lib/sys/errors.js';

export interface Instruction {
  /** Line of the keyword, from 1, for errors. */
  line: number;
  /** Upper case: FROM, RUN, COPY … */
  keyword: string;
  /** --name=value flags before the arguments (COPY --from=build, RUN --network=none). */
  flags: Record<string, string>;
  /** The arguments as written (continuations joined), without the flags. */
  args: string;
  /** The exec form, when args is a JSON list of strings. */
  json?: string[];
  /** Here-documents, in order: the name after << and the text up to the name's line. */
  heredocs: Array<{ name: string; text: string; chomp: boolean }>;
  /** The instruction as the history shows it. */
  original: string;
}

export interface Dockerfile {
  escape: string;
  syntax?: string;
  instructions: Instruction[];
}

const KEYWORDS = ['FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL'];

/** The JSON form: a list of strings, or undefined (Docker takes anything else as shell form). */
export function jsonForm(args: string): string[] | undefined {
  if (!args.trimStart().startsWith('[')) return undefined;
  try {
    const list = JSON.parse(args) as unknown;
    return Array.isArray(list) && list.every((s) => typeof s === 'string') ? list : undefined;
  } catch {
    return undefined;
  }
}

/** Parse Dockerfile text; `file` names it in errors ("Dockerfile:3: …"). */
export function parseDockerfile(text: string, file = 'Dockerfile'): Dockerfile {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const bad = (line: number, what: string): never => {
    throw new CartonError(`${file}:${line}: ${what}`, 'see the Dockerfile reference: https://docs.docker.com/reference/dockerfile/');
  };
  // Parser directives: only before the first comment-that-is-not-one, blank line or instruction.
  let escape = '\\';
  let syntax: string | undefined;
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(lines[i]);
    if (!m) break;
    const name = m[1].toLowerCase();
    if (name === 'escape') {
      if (m[2] !== '\\' && m[2] !== '`') bad(i + 1, `invalid escape character ${JSON.stringify(m[2])}: use \\ or \``);
      escape = m[2];
    } else if (name === 'syntax') syntax = m[2];
    else break; // an unknown directive is a comment, and ends the directives
  }
  const instructions: Instruction[] = [];
  while (i < lines.length) {
    const start = i;
    const first = lines[i];
    if (/^\s*(#|$)/.test(first)) {
      i++;
      continue;
    }
    // Join continuation lines; comment and empty lines inside are skipped.
    let logical = '';
    let line = first;
    for (;;) {
      const trimmed = line.replace(/\s+$/, '');
      if (trimmed.endsWith(escape) && !trimmed.endsWith(escape + escape)) {
        logical += trimmed.slice(0, -1);
        i++;
        while (i < lines.length && /^\s*(#.*)?$/.test(lines[i])) i++;
        if (i >= lines.length) break;
        line = lines[i];
      } else {
        logical += line;
        i++;
        break;
      }
    }
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(logical)!;
    const keyword = m[1].toUpperCase();
    if (!KEYWORDS.includes(keyword)) bad(start + 1, `unknown instruction: ${m[1]}`);
    let rest = m[2].trim();
    const flags: Record<string, string> = {};
    for (let f = /^--([a-z][a-z-]*)(?:=(\S*))?\s*/.exec(rest); f && keyword !== 'ONBUILD'; f = /^--([a-z][a-z-]*)(?:=(\S*))?\s*/.exec(rest)) {
      flags[f[1]] = f[2] ?? 'true';
      rest = rest.slice(f[0].length);
    }
    // Here-documents: <<NAME or <<-NAME (tabs stripped), optionally quoted; their text follows.
    const heredocs: Instruction['heredocs'] = [];
    if (['RUN', 'COPY', 'ADD'].includes(keyword)) {
      for (const h of rest.matchAll(/<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g)) {
        const body: string[] = [];
        while (i < lines.length && (h[1] ? lines[i].replace(/^\t+/, '') : lines[i]) !== h[3]) {
          body.push(h[1] ? lines[i].replace(/^\t+/, '') : lines[i]);
          i++;
        }
        if (i >= lines.length) bad(start + 1, `here-document <<${h[3]} has no line "${h[3]}" to end it`);
        i++;
        heredocs.push({ name: h[3], text: body.join('\n') + '\n', chomp: h[1] === '-' });
      }
    }
    if (rest === '' && !['HEALTHCHECK'].includes(keyword)) bad(start + 1, `${keyword} needs arguments`);
    instructions.push({ line: start + 1, keyword, flags, args: rest, json: jsonForm(rest), heredocs, original: logical.trim() });
  }
  if (!instructions.length) bad(1, 'the file has no instructions');
  const firstReal = instructions.find((ins) => ins.keyword !== 'ARG');
  if (firstReal?.keyword !== 'FROM') bad(firstReal?.line ?? 1, 'the first instruction must be FROM (only ARG may come before it)');
  return { escape, syntax, instructions };
}
