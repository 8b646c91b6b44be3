// Go's text/template, as far as Docker users write it in --format: {{.Field.Sub}}, {{.}},
// pipelines with |, the functions Docker adds (json, join, split, upper, lower, title, pad,
// truncate, println) and Go's (index, len, printf, print, eq, ne, not, and, or), {{if}} /
// {{else}} / {{end}}, {{range}} (with $i, $e :=), {{with}}, and {{- -}} trimming. Values print
// as Go prints them: a list as [a b], a map as map[k:v], a missing value as <no value>.
// An unknown field is an error, never an empty string, as in Go.
import { CartonError } from '../sys/index.js';

type Value = unknown;
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: string }
  | { kind: 'if'; pipe: string; then: Node[]; otherwise: Node[] }
  | { kind: 'with'; pipe: string; then: Node[]; otherwise: Node[] }
  | { kind: 'range'; pipe: string; vars: string[]; body: Node[]; otherwise: Node[] };

export class TemplateError extends CartonError {}

/** Go's fmt %v of a value. */
export function goString(v: Value): string {
  if (v === undefined || v === null) return '<no value>';
  if (Array.isArray(v)) return `[${v.map(goString).join(' ')}]`;
  if (typeof v === 'object') return `map[${Object.keys(v as object).sort().map((k) => `${k}:${goString((v as Record<string, Value>)[k])}`).join(' ')}]`;
  return String(v);
}

function tokenize(source: string): Array<{ text: string } | { action: string }> {
  const out: Array<{ text: string } | { action: string }> = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      out.push({ text: source.slice(i) });
      break;
    }
    let text = source.slice(i, open);
    const close = source.indexOf('}}', open);
    if (close < 0) throw new TemplateError(`template: unclosed action in ${JSON.stringify(source)}`);
    let action = source.slice(open + 2, close);
    if (action.startsWith('-')) {
      text = text.replace(/\s+$/, '');
      action = action.slice(1);
    }
    let next = close + 2;
    if (action.endsWith('-')) {
      action = action.slice(0, -1);
      while (next < source.length && /\s/.test(source[next])) next++;
    }
    if (text) out.push({ text });
    out.push({ action: action.trim() });
    i = next;
  }
  return out;
}

function parse(source: string): Node[] {
  const tokens = tokenize(source);
  let pos = 0;
  const block = (ends: string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos++];
      if ('text' in t) {
        nodes.push({ kind: 'text', text: t.text });
        continue;
      }
      const [word] = t.action.split(/\s+/);
      if (ends.includes(word)) return { nodes, end: t.action };
      if (t.action.startsWith('/*')) continue; // a comment
      if (word === 'if' || word === 'with') {
        const then = block(['else', 'end']);
        const otherwise = then.end.startsWith('else') ? block(['end']).nodes : [];
        nodes.push({ kind: word as 'if' | 'with', pipe: t.action.slice(word.length).trim(), then: then.nodes, otherwise } as Node);
      } else if (word === 'range') {
        let pipe = t.action.slice(5).trim();
        let vars: string[] = [];
        const decl = /^(\$\w+)(?:\s*,\s*(\$\w+))?\s*:=\s*([\s\S]+)$/.exec(pipe);
        if (decl) {
          vars = decl[2] ? [decl[1], decl[2]] : [decl[1]];
          pipe = decl[3];
        }
        const body = block(['else', 'end']);
        const otherwise = body.end.startsWith('else') ? block(['end']).nodes : [];
        nodes.push({ kind: 'range', pipe, vars, body: body.nodes, otherwise });
      } else nodes.push({ kind: 'action', pipe: t.action });
    }
    if (ends.length) throw new TemplateError(`template: unexpected EOF: missing {{end}}`);
    return { nodes, end: '' };
  };
  return block([]).nodes;
}

/** Split a command into arguments: "string literals", numbers, .Fields, $vars, (sub pipes), words. */
function args(command: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < command.length) {
    if (/\s/.test(command[i])) {
      i++;
      continue;
    }
    if (command[i] === '"' || command[i] === '`') {
      const quote = command[i];
      let j = i + 1;
      while (j < command.length && command[j] !== quote) j += command[j] === '\\' && quote === '"' ? 2 : 1;
      out.push(command.slice(i, j + 1));
      i = j + 1;
    } else if (command[i] === '(') {
      let depth = 0;
      let j = i;
      for (; j < command.length; j++) {
        if (command[j] === '(') depth++;
        else if (command[j] === ')' && --depth === 0) break;
      }
      out.push(command.slice(i, j + 1));
      i = j + 1;
    } else {
      let j = i;
      while (j < command.length && !/\s/.test(command[j])) j++;
      out.push(command.slice(i, j));
      i = j;
    }
  }
  return out;
}

const title = (s: string) => s.replace(/\b\w/g, (c) => c.toUpperCase());
const truthy = (v: Value) => !(v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0));

const FUNCTIONS: Record<string, (...a: Value[]) => Value> = {
  json: (v) => JSON.stringify(v ?? null),
  join: (list, sep) => (Array.isArray(list) ? list.map((x) => (typeof x === 'string' ? x : goString(x))).join(String(sep)) : goString(list)),
  split: (s, sep) => String(s).split(String(sep)),
  upper: (s) => goString(s).toUpperCase(),
  lower: (s) => goString(s).toLowerCase(),
  title: (s) => title(goString(s)),
  pad: (s, before, after) => `${' '.repeat(Number(before))}${goString(s)}${' '.repeat(Number(after))}`,
  truncate: (s, n) => goString(s).slice(0, Number(n)),
  println: (...a) => `${a.map(goString).join(' ')}\n`,
  print: (...a) => a.map(goString).join(''),
  len: (v) => (Array.isArray(v) || typeof v === 'string' ? v.length : v && typeof v === 'object' ? Object.keys(v).length : 0),
  index: (v, ...keys) => keys.reduce<Value>((x, k) => (x === null || x === undefined ? undefined : (x as Record<string, Value>)[String(k)]), v),
  printf: (format, ...a) => {
    let n = 0;
    return String(format).replace(/%(-?\d*)([svdq%])/g, (_, width: string, verb: string) => {
      if (verb === '%') return '%';
      const v = a[n++];
      const text = verb === 'q' ? JSON.stringify(goString(v)) : goString(v);
      const w = Number(width);
      return width ? (w < 0 ? text.padEnd(-w) : text.padStart(w)) : text;
    });
  },
  eq: (a, ...b) => b.some((x) => x === a),
  ne: (a, b) => a !== b,
  not: (a) => !truthy(a),
  and: (...a) => a.find((x) => !truthy(x)) ?? a[a.length - 1],
  or: (...a) => a.find((x) => truthy(x)) ?? a[a.length - 1],
};

interface Scope {
  dot: Value;
  vars: Record<string, Value>;
}

/** What every `inspect` prints: the objects as indented JSON, or each rendered by --format. */
export const INSPECT_FORMAT = { name: 'format', short: 'f', kind: 'string', value: 'string', description: "Format output using a Go template ('{{.Name}}', '{{json .}}'), or 'json'" } as const;
export function printInspected(objects: Value[], format: unknown): void {
  if (typeof format === 'string' && format !== 'json') for (const o of objects) process.stdout.write(renderTemplate(format, o) + '\n');
  else process.stdout.write(JSON.stringify(objects, null, 4) + '\n');
}

/** Objects that are Go maps, not structs: a missing key is <no value>, not an error (labels, attributes). */
const maps = new WeakSet<object>();
export function goMap<T extends object>(value: T): T {
  maps.add(value);
  return value;
}

function field(value: Value, path: string[], whole: string): Value {
  let v = value;
  for (const name of path) {
    if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) throw new TemplateError(`template: executing ${JSON.stringify(whole)}: can't evaluate field ${name}`);
    if (!(name in (v as object)) && maps.has(v as object)) return undefined;
    if (!(name in (v as object))) throw new TemplateError(`template: executing ${JSON.stringify(whole)}: can't evaluate field ${name}`, 'see the fields in the command\'s --help, or print them all with --format \'{{json .}}\'');
    v = (v as Record<string, Value>)[name];
  }
  return v;
}

function evaluate(arg: string, scope: Scope): Value {
  if (arg.startsWith('(')) return pipeline(arg.slice(1, -1), scope);
  if (arg.startsWith('"')) return JSON.parse(arg) as string;
  if (arg.startsWith('`')) return arg.slice(1, -1);
  if (/^-?\d+(\.\d+)?$/.test(arg)) return Number(arg);
  if (arg === 'true' || arg === 'false') return arg === 'true';
  if (arg === 'nil') return null;
  if (arg === '.') return scope.dot;
  if (arg.startsWith('.')) return field(scope.dot, arg.slice(1).split('.'), arg);
  if (arg.startsWith('$')) {
    const [name, ...path] = arg.split('.');
    const base = name === '$' ? scope.vars.$ : scope.vars[name];
    if (!(name in scope.vars) && name !== '$') throw new TemplateError(`template: undefined variable ${name}`);
    return path.length ? field(base, path, arg) : base;
  }
  throw new TemplateError(`template: function ${JSON.stringify(arg)} not defined`);
}

function command(text: string, scope: Scope, piped?: { value: Value }): Value {
  const [head, ...rest] = args(text);
  if (head === undefined) throw new TemplateError('template: missing value for command');
  const fn = FUNCTIONS[head];
  if (fn) {
    const values = rest.map((a) => evaluate(a, scope));
    return fn(...values, ...(piped ? [piped.value] : []));
  }
  if (rest.length || piped) throw new TemplateError(`template: function ${JSON.stringify(head)} not defined`);
  return evaluate(head, scope);
}

function pipeline(text: string, scope: Scope): Value {
  // Split on | outside quotes and parentheses.
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote && text[i - 1] !== '\\') quote = undefined;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  let value: { value: Value } | undefined;
  for (const part of parts) value = { value: command(part.trim(), scope, value) };
  return value!.value;
}

function run(nodes: Node[], scope: Scope): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'action') {
      const v = pipeline(node.pipe, scope);
      out += typeof v === 'string' ? v : goString(v);
    } else if (node.kind === 'if') out += run(truthy(pipeline(node.pipe, scope)) ? node.then : node.otherwise, scope);
    else if (node.kind === 'with') {
      const v = pipeline(node.pipe, scope);
      out += truthy(v) ? run(node.then, { ...scope, dot: v }) : run(node.otherwise, scope);
    } else {
      const v = pipeline(node.pipe, scope);
      const entries: Array<[Value, Value]> = Array.isArray(v) ? v.map((x, i) => [i, x]) : v && typeof v === 'object' ? Object.keys(v).sort().map((k) => [k, (v as Record<string, Value>)[k]]) : [];
      if (!entries.length) out += run(node.otherwise, scope);
      for (const [key, item] of entries) {
        const vars = { ...scope.vars };
        if (node.vars.length === 1) vars[node.vars[0]] = item;
        if (node.vars.length === 2) [vars[node.vars[0]], vars[node.vars[1]]] = [key, item];
        out += run(node.body, { dot: item, vars });
      }
    }
  }
  return out;
}

/** Render `template` for `data`. Docker's `\t` and `\n` written literally on a command line mean tab and newline. */
export function renderTemplate(template: string, data: Value): string {
  const source = template.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  return run(parse(source), { dot: data, vars: { $: data } });
}

/**
 * Docker's `table` directive: "table {{.ID}}\t{{.Names}}" is a header (each {{.Field}} named
 * by `headers`, else upper-cased) and a row per item, aligned in columns where the tabs are.
 */
export function renderRows(format: string, items: Value[], headers: Record<string, string>, align: (rows: string[][]) => string): string {
  const table = /^table\s*/.exec(format);
  if (!table) return items.map((item) => renderTemplate(format, item) + '\n').join('');
  const body = format.slice(table[0].length);
  const header = body.replace(/\\t/g, '\t').replace(/\{\{-?\s*\.(\w+)\s*-?\}\}/g, (_, f: string) => headers[f] ?? f.toUpperCase()).replace(/\{\{[^}]*\}\}/g, '');
  const rows = [header, ...items.map((item) => renderTemplate(body, item))].map((line) => line.split('\t'));
  return align(rows);
}
