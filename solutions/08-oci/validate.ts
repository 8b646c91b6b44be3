// Chapter 08 — reading config.json: JSON first, then the fields the runtime relies on, each
// checked with its path in the document named in the error ("process.args: …"), so that a
// broken bundle fails before anything is created. Fields carton does not know are ignored,
// as the spec asks ("runtimes MUST ignore unknown properties"), and kept.
import { CartonError } from '../../lib/sys/errors.js';
import { CAPABILITIES } from '../09-security/capabilities.js';
import type { NamespaceType, Spec } from './spec.js';

export const NAMESPACE_TYPES: NamespaceType[] = ['pid', 'network', 'mount', 'ipc', 'uts', 'user', 'cgroup', 'time'];
const RLIMIT_TYPES = ['RLIMIT_CPU', 'RLIMIT_FSIZE', 'RLIMIT_DATA', 'RLIMIT_STACK', 'RLIMIT_CORE', 'RLIMIT_RSS', 'RLIMIT_NPROC', 'RLIMIT_NOFILE', 'RLIMIT_MEMLOCK', 'RLIMIT_AS', 'RLIMIT_LOCKS', 'RLIMIT_SIGPENDING', 'RLIMIT_MSGQUEUE', 'RLIMIT_NICE', 'RLIMIT_RTPRIO', 'RLIMIT_RTTIME'];
const HOOK_POINTS = ['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop'];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isUint = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;

/** Parse and check the text of a config.json; `file` names it in errors. */
export function parseSpec(text: string, file = 'config.json'): Spec {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new CartonError(`${file}: not valid JSON: ${(error as Error).message}`, 'see `carton oci spec` for a valid one');
  }
  const bad = (field: string, what: string): never => {
    throw new CartonError(`${file}: ${field}: ${what}`, 'see the runtime spec, config.md: https://github.com/opencontainers/runtime-spec/blob/main/config.md');
  };
  const strings = (v: unknown, field: string) => {
    if (v !== undefined && (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))) bad(field, 'expected a list of strings');
  };
  if (!isObject(doc)) return bad('top level', 'expected an object');
  if (typeof doc.ociVersion !== 'string' || !/^1\.\d+\.\d+/.test(doc.ociVersion)) bad('ociVersion', `expected a 1.x version such as "1.0.2", not ${JSON.stringify(doc.ociVersion)}`);
  if (!isObject(doc.root)) bad('root', 'missing: the root filesystem is required');
  const root = doc.root as Json;
  if (typeof root.path !== 'string' || root.path === '') bad('root.path', 'expected the path of the root filesystem (absolute, or relative to the bundle)');
  if (root.readonly !== undefined && typeof root.readonly !== 'boolean') bad('root.readonly', 'expected true or false');

  if (doc.process !== undefined) {
    if (!isObject(doc.process)) bad('process', 'expected an object');
    const p = doc.process as Json;
    if (!Array.isArray(p.args) || p.args.length === 0 || p.args.some((a) => typeof a !== 'string')) bad('process.args', 'expected a non-empty list of strings: the program and its arguments');
    if (typeof p.cwd !== 'string' || !p.cwd.startsWith('/')) bad('process.cwd', `must be an absolute path, not ${JSON.stringify(p.cwd)}`);
    strings(p.env, 'process.env');
    (p.env as string[] | undefined)?.forEach((e, i) => e.includes('=') || bad(`process.env[${i}]`, `expected KEY=VALUE, not ${JSON.stringify(e)}`));
    if (!isObject(p.user) || !isUint(p.user.uid) || !isUint(p.user.gid)) bad('process.user', 'expected { "uid": N, "gid": N }');
    const user = p.user as Json;
    if (user.additionalGids !== undefined && (!Array.isArray(user.additionalGids) || !user.additionalGids.every(isUint))) bad('process.user.additionalGids', 'expected a list of group ids');
    if (p.terminal !== undefined && typeof p.terminal !== 'boolean') bad('process.terminal', 'expected true or false');
    if (p.capabilities !== undefined) {
      if (!isObject(p.capabilities)) bad('process.capabilities', 'expected an object of capability sets');
      for (const [set, caps] of Object.entries(p.capabilities as Json)) {
        strings(caps, `process.capabilities.${set}`);
        for (const cap of caps as string[]) if (!(CAPABILITIES as readonly string[]).includes(cap)) bad(`process.capabilities.${set}`, `unknown capability ${JSON.stringify(cap)}`);
      }
    }
    if (p.rlimits !== undefined) {
      if (!Array.isArray(p.rlimits)) bad('process.rlimits', 'expected a list');
      (p.rlimits as unknown[]).forEach((r, i) => {
        if (!isObject(r) || !RLIMIT_TYPES.includes(r.type as string)) bad(`process.rlimits[${i}].type`, `unknown limit ${JSON.stringify(isObject(r) ? r.type : r)}`);
        const limit = r as Json;
        if (!isUint(limit.soft) || !isUint(limit.hard)) bad(`process.rlimits[${i}]`, 'expected soft and hard as numbers');
      });
    }
  }
  if (doc.mounts !== undefined) {
    if (!Array.isArray(doc.mounts)) bad('mounts', 'expected a list');
    (doc.mounts as unknown[]).forEach((m, i) => {
      if (!isObject(m) || typeof m.destination !== 'string' || !m.destination.startsWith('/')) bad(`mounts[${i}].destination`, 'expected an absolute path inside the container');
      strings((m as Json).options, `mounts[${i}].options`);
    });
  }
  if (doc.hooks !== undefined) {
    if (!isObject(doc.hooks)) bad('hooks', 'expected an object');
    for (const [point, hooks] of Object.entries(doc.hooks as Json)) {
      if (!HOOK_POINTS.includes(point)) continue; // unknown: ignored
      if (!Array.isArray(hooks)) bad(`hooks.${point}`, 'expected a list');
      (hooks as unknown[]).forEach((h, i) => {
        if (!isObject(h) || typeof h.path !== 'string' || !h.path.startsWith('/')) bad(`hooks.${point}[${i}].path`, 'expected an absolute path');
      });
    }
  }
  if (doc.linux !== undefined) {
    if (!isObject(doc.linux)) bad('linux', 'expected an object');
    const linux = doc.linux as Json;
    if (linux.namespaces !== undefined) {
      if (!Array.isArray(linux.namespaces)) bad('linux.namespaces', 'expected a list');
      const seen = new Set<string>();
      (linux.namespaces as unknown[]).forEach((ns, i) => {
        if (!isObject(ns) || !NAMESPACE_TYPES.includes(ns.type as NamespaceType)) bad(`linux.namespaces[${i}].type`, `unknown namespace type ${JSON.stringify(isObject(ns) ? ns.type : ns)} (one of ${NAMESPACE_TYPES.join(', ')})`);
        const n = ns as Json;
        if (seen.has(n.type as string)) bad(`linux.namespaces[${i}]`, `namespace ${n.type} is listed twice`);
        seen.add(n.type as string);
        if (n.path !== undefined && (typeof n.path !== 'string' || !n.path.startsWith('/'))) bad(`linux.namespaces[${i}].path`, 'expected an absolute path');
      });
    }
    if (linux.cgroupsPath !== undefined && typeof linux.cgroupsPath !== 'string') bad('linux.cgroupsPath', 'expected a string');
    if (linux.sysctl !== undefined && (!isObject(linux.sysctl) || Object.values(linux.sysctl).some((v) => typeof v !== 'string'))) bad('linux.sysctl', 'expected an object of strings');
    for (const key of ['uidMappings', 'gidMappings']) {
      const maps = linux[key];
      if (maps === undefined) continue;
      if (!Array.isArray(maps)) bad(`linux.${key}`, 'expected a list');
      (maps as unknown[]).forEach((m, i) => {
        for (const field of ['containerID', 'hostID', 'size']) {
          const v = isObject(m) ? (m as Json)[field] : undefined;
          if (!Number.isInteger(v) || (v as number) < 0) bad(`linux.${key}[${i}].${field}`, 'expected a whole number, 0 or more');
        }
      });
    }
    strings(linux.maskedPaths, 'linux.maskedPaths');
    strings(linux.readonlyPaths, 'linux.readonlyPaths');
  }
  return doc as unknown as Spec;
}
