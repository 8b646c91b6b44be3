// From the command line to a Project: which files (-f, COMPOSE_FILE, or compose.yaml and
// its override in the current directory), which project name (-p, COMPOSE_PROJECT_NAME,
// the file's name:, the directory), the variables (.env or --env-file, under the shell's),
// and Docker Compose's merge rules when several files are given. The YAML is parsed by the
// `yaml` package, interpolated by chapter 11's code, then checked by model.ts.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { chapter } from '../impl.js';
import { CartonError, q } from '../sys/index.js';
import { checkTopLevel, ComposeError, normalize, type Project } from './model.js';

export interface LoadOptions {
  files: string[];
  projectName?: string;
  projectDirectory?: string;
  profiles: string[];
  envFiles: string[];
  cwd?: string;
  env?: Record<string, string | undefined>;
}

const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];

/** A .env or env_file: KEY=VALUE lines, `export ` allowed, '…' literal, "…" with \n escapes, # comments. */
export function parseEnvFile(text: string, file: string, lookup: Record<string, string | undefined> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:=\s*([\s\S]*))?$/.exec(line);
    if (!m) throw new CartonError(`${file}:${n + 1}: invalid line ${q(line)}`, 'expected KEY=VALUE');
    const [, key, raw] = m;
    if (raw === undefined) {
      if (lookup[key] !== undefined) out[key] = lookup[key]!; // KEY alone: from the environment, if set
      continue;
    }
    let value: string;
    if (raw.startsWith("'")) {
      const end = raw.indexOf("'", 1);
      if (end < 0) throw new CartonError(`${file}:${n + 1}: unclosed single quote`);
      value = raw.slice(1, end);
    } else if (raw.startsWith('"')) {
      const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(raw);
      if (!quoted) throw new CartonError(`${file}:${n + 1}: unclosed double quote`);
      value = quoted[1].replace(/\\([nt"\\$])/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);
    } else value = raw.replace(/\s+#.*$/, '').trim();
    out[key] = value;
  }
  return out;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CartonError(`read ${what} ${q(file)}: ${code === 'ENOENT' ? 'no such file' : code}`);
  }
}

/** The files to read: -f, else COMPOSE_FILE, else the first default file here and its override. */
function composeFiles(options: LoadOptions, cwd: string, env: Record<string, string | undefined>): string[] {
  if (options.files.length) return options.files.map((f) => (f === '-' ? '-' : resolve(cwd, f)));
  if (env.COMPOSE_FILE) return env.COMPOSE_FILE.split(env.COMPOSE_PATH_SEPARATOR || ':').filter(Boolean).map((f) => resolve(cwd, f));
  const found = DEFAULT_FILES.find((f) => existsSync(join(cwd, f)));
  if (!found) throw new CartonError(`no configuration file provided: not found in ${cwd}`, `write a compose.yaml here, or name one with -f FILE`);
  const override = OVERRIDES.find((f) => existsSync(join(cwd, f)));
  return [join(cwd, found), ...(override ? [join(cwd, override)] : [])];
}

/** Docker Compose's rule for a name from a directory: lower case, only [a-z0-9_-]. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
}

function checkProjectName(name: string, where: string): string {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) {
    throw new CartonError(`invalid project name ${q(name)} (${where}): it must contain only lowercase letters, decimal digits, dashes and underscores, and begin with a letter or digit`);
  }
  return name;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A list of KEY=VALUE (or KEY) or a mapping, as a mapping, for merging. */
function asMap(v: unknown, separator = '='): Record<string, unknown> {
  if (Array.isArray(v)) {
    return Object.fromEntries(v.map((x) => {
      const s = String(x);
      const at = s.indexOf(separator);
      return at < 0 ? [s, null] : [s.slice(0, at), s.slice(at + 1)];
    }));
  }
  return isMap(v) ? v : {};
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (isMap(base) && isMap(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
    return out;
  }
  return over;
}

const targetOf = (v: unknown): string => (isMap(v) ? String(v.target) : String(v).split(':')[1] ?? String(v));
const unique = (list: unknown[]) => [...new Map(list.map((x) => [JSON.stringify(x), x])).values()];

/** Docker Compose's merge of one service from a later file over an earlier one. */
function mergeService(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const before = base[key];
    if (before === undefined) out[key] = value;
    else if (['environment', 'labels'].includes(key)) out[key] = { ...asMap(before), ...asMap(value) };
    else if (key === 'extra_hosts') out[key] = { ...asMap(before, ':'), ...asMap(value, ':') };
    else if (['depends_on', 'networks'].includes(key)) out[key] = deepMerge(Array.isArray(before) ? asMap(before) : before, Array.isArray(value) ? asMap(value) : value);
    else if (['ports', 'expose', 'dns', 'dns_search', 'dns_opt', 'tmpfs', 'cap_add', 'cap_drop', 'security_opt', 'env_file', 'profiles'].includes(key)) {
      out[key] = unique([...[before].flat(), ...[value].flat()]);
    } else if (key === 'volumes' && Array.isArray(before) && Array.isArray(value)) {
      const byTarget = new Map(before.map((v) => [targetOf(v), v]));
      for (const v of value) byTarget.set(targetOf(v), v);
      out[key] = [...byTarget.values()];
    } else if (key === 'build') out[key] = deepMerge(typeof before === 'string' ? { context: before } : before, typeof value === 'string' ? { context: value } : value);
    else if (['command', 'entrypoint'].includes(key)) out[key] = value;
    else out[key] = deepMerge(before, value);
  }
  return out;
}

function mergeFiles(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (key === 'services' && isMap(base.services) && isMap(value)) {
      const services: Record<string, unknown> = { ...base.services };
      for (const [name, s] of Object.entries(value)) services[name] = isMap(services[name]) && isMap(s) ? mergeService(services[name] as Record<string, unknown>, s) : s;
      out.services = services;
    } else out[key] = key in base ? deepMerge(base[key], value) : value;
  }
  return out;
}

/** One file's YAML, parsed: a syntax error names the file, line and column. */
function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { merge: true, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const where = e.linePos?.[0] ? `:${e.linePos[0].line}:${e.linePos[0].col}` : '';
    throw new ComposeError(`${file}${where}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, 'the file is not valid YAML');
  }
  return doc.toJS({ maxAliasCount: 1000 }) ?? {};
}

/** Read, interpolate, merge and check the project the options describe. */
export async function loadProject(options: LoadOptions): Promise<Project> {
  const cwd = options.cwd ?? process.cwd();
  const shell = options.env ?? process.env;
  const files = composeFiles(options, cwd, shell);
  const workingDir = resolve(options.projectDirectory ?? (files[0] === '-' ? cwd : dirname(files[0])));
  // .env (or --env-file) holds defaults; the shell's environment wins over it.
  const envFiles = options.envFiles.length ? options.envFiles.map((f) => resolve(cwd, f)) : existsSync(join(workingDir, '.env')) ? [join(workingDir, '.env')] : [];
  const dotenv: Record<string, string> = {};
  for (const f of envFiles) Object.assign(dotenv, parseEnvFile(readText(f, 'env file'), f, { ...dotenv, ...shell }));
  const env: Record<string, string | undefined> = { ...dotenv, ...shell };
  const compose = await chapter.compose();
  let merged: Record<string, unknown> = {};
  for (const file of files) {
    const shown = file === '-' ? 'stdin' : basename(file) === file ? file : file.startsWith(cwd + '/') ? file.slice(cwd.length + 1) : file;
    const raw = parseYaml(file === '-' ? readFileSync(0, 'utf8') : readText(file, 'compose file'), shown);
    try {
      checkTopLevel(raw);
      merged = mergeFiles(merged, compose.interpolateTree(raw, env) as Record<string, unknown>);
    } catch (error) {
      if (error instanceof CartonError) throw new ComposeError(`${shown}: ${error.message}`, error.hint);
      throw error;
    }
  }
  const fromFile = typeof merged.name === 'string' ? merged.name : undefined;
  const name = options.projectName !== undefined ? checkProjectName(options.projectName, '-p')
    : env.COMPOSE_PROJECT_NAME ? checkProjectName(env.COMPOSE_PROJECT_NAME, 'COMPOSE_PROJECT_NAME')
      : fromFile !== undefined ? checkProjectName(fromFile, 'name:') : normalizeProjectName(basename(workingDir));
  if (!name) throw new CartonError(`no project name could be made from the directory ${q(workingDir)}`, 'give one with -p NAME, or name: in the file');
  const profiles = options.profiles.length ? options.profiles : (env.COMPOSE_PROFILES ?? '').split(',').filter(Boolean);
  const shownFiles = files.map((f) => (f === '-' ? 'stdin' : f));
  try {
    const project = normalize(merged, {
      name, workingDir, configFiles: shownFiles, profiles, shell: env,
      readEnvFile: (file) => parseEnvFile(readText(file, 'env_file'), file, env),
    });
    // A cycle can never start: refused now, before anything is created.
    const all = { ...project.disabled, ...project.services };
    try {
      compose.startOrder(Object.fromEntries(Object.values(all).map((s) => [s.name, Object.keys(s.dependsOn)])));
    } catch (error) {
      if (error instanceof CartonError) throw new ComposeError(`depends_on: ${error.message}`, error.hint);
      throw error;
    }
    return project;
  } catch (error) {
    if (error instanceof CartonError) throw new ComposeError(`${shownFiles.map((f) => (f.startsWith(cwd + '/') ? f.slice(cwd.length + 1) : f)).join(', ')}: ${error.message}`, error.hint);
    throw error;
  }
}
