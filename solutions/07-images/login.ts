// carton login / logout: check the credentials against the registry (GET /v2/, answering
// its challenge with them), and only then save them.
import { Registry } from './registry.js';
import { defaultAuthFile, removeCredentials, saveCredentials } from './credentials.js';
import { CartonError } from '../../lib/sys/index.js';
import type { Challenge } from './challenge.js';

/** "docker.io" for no argument or a Docker Hub spelling, else the host[:port] given. */
export function registryName(server?: string): string {
  if (!server) return 'docker.io';
  const host = server.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return ['index.docker.io', 'registry-1.docker.io', 'docker.io'].includes(host) ? 'docker.io' : host;
}

/** Check the credentials against the registry's /v2/, then save them; `steps` swaps in the learner's challenge parser. */
export async function login(registry: string, username: string, password: string, authFile = defaultAuthFile(), steps: { parseAuthChallenge?: (h: string) => Challenge } = {}): Promise<void> {
  const name = registryName(registry);
  if (!username || !password) throw new CartonError(`login ${name}: a user name and a password are needed`, 'carton login -u USER --password-stdin REGISTRY');
  await new Registry(name, { credentials: { username, password }, parseChallenge: steps.parseAuthChallenge }).ping();
  saveCredentials(name, { username, password }, authFile);
}

/** Forget the credentials; false if there were none to forget. */
export function logout(registry?: string, authFile = defaultAuthFile()): boolean {
  return removeCredentials(registryName(registry), authFile);
}
