// Chapter 09 — from what the user asked (--cap-add, --cap-drop, --privileged,
// --security-opt) to what the stage applies. Runs on the host, before the container starts.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { CartonError } from '../../lib/sys/errors.js';
import { resolveCapabilities } from './capabilities.js';
import { compileProfile, nativeArch } from './bpf.js';
import { DEFAULT_PROFILE } from './default-profile.js';
import { applies, parseProfile } from './profile.js';
import type { SecurityConfig } from './apply.js';

/** What a container's record keeps of the user's security flags. */
export interface SecuritySpec {
  capAdd: string[];
  capDrop: string[];
  privileged: boolean;
  securityOpt: string[];
  /** The text of a --security-opt seccomp=FILE profile, read when the container was created. */
  seccompProfile?: string;
}

export interface SecurityOptions {
  seccomp: 'default' | 'unconfined' | 'file';
  seccompFile?: string;
  noNewPrivileges: boolean;
}

/** --security-opt values, as Docker takes them (KEY=VALUE, or the older KEY:VALUE). */
export function parseSecurityOpts(opts: string[]): SecurityOptions {
  const result: SecurityOptions = { seccomp: 'default', noNewPrivileges: false };
  for (const opt of opts) {
    const [key, value] = opt.includes('=') ? [opt.slice(0, opt.indexOf('=')), opt.slice(opt.indexOf('=') + 1)] : opt.includes(':') ? [opt.slice(0, opt.indexOf(':')), opt.slice(opt.indexOf(':') + 1)] : [opt, undefined];
    if (key === 'no-new-privileges') {
      if (value !== undefined && !['true', 'false'].includes(value)) throw new CartonError(`invalid --security-opt ${opt}: no-new-privileges takes true or false`);
      result.noNewPrivileges = value !== 'false';
    } else if (key === 'seccomp') {
      if (!value) throw new CartonError(`invalid --security-opt ${opt}: seccomp needs unconfined or a profile file`);
      if (value === 'unconfined') result.seccomp = 'unconfined';
      else if (value === 'builtin' || value === 'default') result.seccomp = 'default';
      else Object.assign(result, { seccomp: 'file', seccompFile: value });
    } else if ((key === 'apparmor' || key === 'label') && value) {
      // No LSM profile is loaded by carton: accepted, as Docker does on hosts without one.
    } else {
      throw new CartonError(`invalid --security-opt ${opt}`, 'carton knows seccomp=unconfined|FILE and no-new-privileges[=true|false]');
    }
  }
  return result;
}

/** Check the flags at create time, and read a profile file then (Docker does the same). */
export function securitySpec(capAdd: string[], capDrop: string[], privileged: boolean, securityOpt: string[]): SecuritySpec {
  resolveCapabilities(capAdd, capDrop, privileged); // unknown capability names are errors now
  const opts = parseSecurityOpts(securityOpt);
  const spec: SecuritySpec = { capAdd, capDrop, privileged, securityOpt };
  if (opts.seccomp === 'file') {
    let text: string;
    try {
      text = readFileSync(opts.seccompFile!, 'utf8');
    } catch (error) {
      throw new CartonError(`read seccomp profile ${opts.seccompFile}: ${(error as NodeJS.ErrnoException).code}`);
    }
    parseProfile(text, opts.seccompFile!);
    spec.seccompProfile = text;
  }
  return spec;
}

/**
 * What the stage applies. --privileged: every capability and no filter. The compiled
 * program is cached under `cacheDir` by a hash of everything it depends on.
 */
export interface PolicySteps {
  resolveCapabilities: typeof resolveCapabilities;
  applies: typeof applies;
}

export function securityConfig(spec: SecuritySpec, cacheDir: string, steps: PolicySteps = { resolveCapabilities, applies }): SecurityConfig {
  const capabilities = steps.resolveCapabilities(spec.capAdd, spec.capDrop, spec.privileged);
  const opts = parseSecurityOpts(spec.securityOpt);
  const config: SecurityConfig = { capabilities, noNewPrivileges: opts.noNewPrivileges };
  if (spec.privileged || opts.seccomp === 'unconfined') return config;
  const profileText = spec.seccompProfile ?? 'default';
  const target = { arch: nativeArch(), caps: capabilities, kernel: release() };
  const key = createHash('sha256').update(JSON.stringify([profileText, target])).digest('hex').slice(0, 32);
  const file = join(cacheDir, `${key}.bpf`);
  const reference = steps.applies === applies; // a learner's own applies() always runs: no cache
  const cached = reference ? readCached(file) : undefined;
  if (cached) {
    config.seccomp = cached.toString('base64');
    return config;
  }
  const profile = spec.seccompProfile ? parseProfile(spec.seccompProfile, 'of the container') : DEFAULT_PROFILE;
  const program = compileProfile(profile, target, steps.applies);
  if (reference) {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    writeFileSync(`${file}.${process.pid}`, program);
    renameSync(`${file}.${process.pid}`, file); // whole or not at all, for a racing start
  }
  config.seccomp = program.toString('base64');
  return config;
}

function readCached(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined; // not compiled yet
  }
}
