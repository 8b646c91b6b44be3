// Saved registry credentials, in the format of Docker's ~/.docker/config.json:
//   { "auths": { "localhost:5000": { "auth": base64("user:password") } } }
// The file holds passwords (only base64-encoded), so it is written with mode 0600.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CartonError, q } from '../../lib/sys/index.js';

export interface Credentials {
  username: string;
  password: string;
}

interface AuthFile {
  auths?: Record<string, { auth?: string }>;
  [other: string]: unknown;
}

/** $CARTON_ROOT/auth.json */
export function defaultAuthFile(): string {
  return join(process.env.CARTON_ROOT || '/var/lib/carton', 'auth.json');
}

/** The keys a registry may be saved under; Docker writes Docker Hub as its v1 URL. */
function keysFor(registry: string): string[] {
  if (registry === 'docker.io') return ['https://index.docker.io/v1/', 'docker.io', 'index.docker.io', 'registry-1.docker.io'];
  return [registry, `https://${registry}`, `http://${registry}`];
}

function readAuthFile(path: string): AuthFile {
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as AuthFile;
  } catch (e) {
    throw new CartonError(`read credentials ${q(path)}: ${(e as Error).message}`, 'fix or remove the file, then carton login again');
  }
}

function writeAuthFile(path: string, file: AuthFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600); // the mode above is masked by the umask
  renameSync(tmp, path);
}

export function credentialsFor(registry: string, path = defaultAuthFile()): Credentials | undefined {
  const auths = readAuthFile(path).auths ?? {};
  for (const key of keysFor(registry)) {
    const auth = auths[key]?.auth;
    if (!auth) continue;
    const text = Buffer.from(auth, 'base64').toString();
    const colon = text.indexOf(':');
    if (colon > 0) return { username: text.slice(0, colon), password: text.slice(colon + 1) };
  }
  return undefined;
}

export function saveCredentials(registry: string, creds: Credentials, path = defaultAuthFile()): void {
  const file = readAuthFile(path);
  const auths = { ...(file.auths ?? {}) };
  for (const key of keysFor(registry)) delete auths[key];
  auths[keysFor(registry)[0]] = { auth: Buffer.from(`${creds.username}:${creds.password}`).toString('base64') };
  writeAuthFile(path, { ...file, auths });
}

/** Forget a registry's credentials; false if there were none. */
export function removeCredentials(registry: string, path = defaultAuthFile()): boolean {
  const file = readAuthFile(path);
  const auths = { ...(file.auths ?? {}) };
  const keys = keysFor(registry).filter((k) => k in auths);
  if (keys.length === 0) return false;
  for (const key of keys) delete auths[key];
  writeAuthFile(path, { ...file, auths });
  return true;
}
