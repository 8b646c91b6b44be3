// A real registry for tests: Debian's docker-registry (CNCF distribution) on 127.0.0.1 with
// a free port and a temporary storage directory, optionally behind htpasswd (Basic) or
// token (Bearer) authentication. Stop it in afterAll: it is ended by its own pid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collect, removeDir, tempDir } from './index.js';

export type RegistryAuth =
  | { kind: 'none' }
  | { kind: 'htpasswd'; users: Record<string, string> }
  | { kind: 'token'; realm: string; service: string; issuer: string; certFile: string };

export interface TestRegistry {
  /** "127.0.0.1:PORT", the registry part of references. */
  host: string;
  port: number;
  /** The registry's storage directory (docker/registry/v2/... below it). */
  storage: string;
  stop(): Promise<void>;
  /** What the registry logged (warnings and errors). */
  log(): string;
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A bcrypt htpasswd line; Python's crypt module uses glibc's libxcrypt, which knows $2b$. */
function htpasswdLine(user: string, password: string): string {
  const py = spawnSync('python3', ['-W', 'ignore', '-c', 'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))', password], { encoding: 'utf8' });
  if (py.status !== 0) throw new Error(`bcrypt a test password: ${py.stderr}`);
  return `${user}:${py.stdout.trim()}`;
}

function authConfig(dir: string, auth: RegistryAuth): string {
  if (auth.kind === 'htpasswd') {
    const file = join(dir, 'htpasswd');
    writeFileSync(file, Object.entries(auth.users).map(([u, p]) => htpasswdLine(u, p)).join('\n') + '\n');
    return `auth:\n  htpasswd:\n    realm: carton-test\n    path: ${file}\n`;
  }
  if (auth.kind === 'token') {
    return `auth:\n  token:\n    realm: ${auth.realm}\n    service: ${auth.service}\n    issuer: ${auth.issuer}\n    rootcertbundle: ${auth.certFile}\n`;
  }
  return '';
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${log()}`);
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry did not answer on ${url}: ${log()}`);
}

export async function startRegistry(auth: RegistryAuth = { kind: 'none' }): Promise<TestRegistry> {
  const dir = tempDir('carton-registry-');
  const storage = join(dir, 'storage');
  mkdirSync(storage);
  const port = await freePort();
  const config = join(dir, 'config.yml');
  writeFileSync(config, `version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${storage}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${port}
${authConfig(dir, auth)}`);
  const logFile = join(dir, 'registry.log');
  const fd = openSync(logFile, 'w');
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const log = () => readFileSync(logFile, 'utf8');
  try {
    await waitUntilUp(`http://127.0.0.1:${port}/v2/`, child, log);
  } catch (e) {
    child.kill('SIGKILL');
    removeDir(dir);
    throw e;
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    storage,
    log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      removeDir(dir);
    },
  };
}

function skopeoArgs(layout: string, tag: string, target: string, options: { all?: boolean; creds?: string }): string[] {
  return ['copy', '--quiet', '--dest-tls-verify=false', ...(options.all ? ['--all'] : []),
    ...(options.creds ? ['--dest-creds', options.creds] : []), `oci:${layout}:${tag}`, `docker://${target}`];
}

/** Push an OCI layout's tag with skopeo, the independent client. `all` copies every platform of an index. */
export function skopeoPush(layout: string, tag: string, target: string, options: { all?: boolean; creds?: string } = {}): void {
  const args = skopeoArgs(layout, tag, target, options);
  const result = spawnSync('skopeo', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`skopeo ${args.join(' ')}: ${result.stderr}`);
}

/** The same, without blocking: needed when a token server runs in this very process. */
export async function skopeoPushAsync(layout: string, tag: string, target: string, options: { all?: boolean; creds?: string } = {}): Promise<void> {
  const args = skopeoArgs(layout, tag, target, options);
  const result = await collect(spawn('skopeo', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  if (result.status !== 0) throw new Error(`skopeo ${args.join(' ')}: ${result.stderr}`);
}
