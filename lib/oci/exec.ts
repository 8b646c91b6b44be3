// `carton oci exec`: another process in a running container, through carton's exec stage
// (lib/runtime/exec-stage.ts: spawned in the container's PID namespace and cgroups, joins
// the rest, takes the container's confinement). The process is --process FILE (a spec
// "process" object, as containerd writes it) or the command line and options.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { writeWhole } from '../runtime/write-whole.js';
import { resolve } from 'node:path';
import { CartonError, q } from '../sys/index.js';
import * as sys from '../sys/index.js';
import { execIn } from '../runtime/exec.js';
import { exitStatus } from '../runtime/lifecycle.js';
import { newPty } from '../runtime/pty.js';
import type { Process } from '../../solutions/08-oci/spec.js';
import { compileSeccomp, readBundle } from './create.js';
import { load, status } from './store.js';

export interface ExecOptions {
  processFile?: string;
  args: string[];
  env: string[];
  cwd?: string;
  user?: string;
  tty: boolean;
  detach: boolean;
  pidFile?: string;
  consoleSocket?: string;
  caps: string[];
  noNewPrivs: boolean;
}

function processOf(options: ExecOptions, base: Process | undefined): Process {
  if (options.processFile) {
    let p: Process;
    try {
      p = JSON.parse(readFileSync(options.processFile, 'utf8')) as Process;
    } catch (error) {
      throw new CartonError(`exec --process ${q(options.processFile)}: ${(error as Error).message}`);
    }
    if (!Array.isArray(p.args) || p.args.length === 0) throw new CartonError(`exec --process ${q(options.processFile)}: args: expected a non-empty list`);
    return { ...p, user: p.user ?? { uid: 0, gid: 0 }, cwd: p.cwd || '/' };
  }
  if (options.args.length === 0) throw new CartonError('exec: give a command, or --process FILE');
  const [uid, gid] = (options.user ?? '0:0').split(':').map(Number);
  if (!Number.isInteger(uid)) throw new CartonError(`exec --user ${q(options.user!)}: expected UID[:GID]`);
  const caps = base?.capabilities?.bounding ?? [];
  return {
    args: options.args,
    env: [...(base?.env ?? []), ...options.env],
    cwd: options.cwd ?? base?.cwd ?? '/',
    user: { uid, gid: gid || 0 },
    terminal: options.tty,
    capabilities: { bounding: [...caps, ...options.caps], effective: [...caps, ...options.caps], permitted: [...caps, ...options.caps] },
    noNewPrivileges: options.noNewPrivs || base?.noNewPrivileges,
  };
}

export async function execProcess(root: string, id: string, options: ExecOptions): Promise<number> {
  const record = load(root, id);
  const now = await status(root, record);
  if (now !== 'running') throw new CartonError(`cannot exec in container ${q(id)}: it is ${now}`);
  const spec = await readBundle(record.bundle);
  const process_ = processOf(options, spec.process);
  const tty = !!process_.terminal;
  if (tty && !options.consoleSocket) throw new CartonError('exec --tty needs --console-socket to send the terminal to');
  const caps = process_.capabilities?.bounding ?? process_.capabilities?.effective ?? [];
  const config = {
    pid: record.pid,
    argv: process_.args,
    env: process_.env ?? [],
    cwd: process_.cwd,
    user: { uid: process_.user.uid, gid: process_.user.gid, groups: process_.user.additionalGids ?? [] },
    tty,
    security: { capabilities: caps, noNewPrivileges: !!process_.noNewPrivileges, seccomp: await compileSeccomp(spec), privileged: false, nodev: false },
  };
  let stdio: Array<'inherit' | number> = ['inherit', 'inherit', 'inherit'];
  let slave: number | undefined;
  if (tty) {
    // A terminal of the container's own devpts, its master for whoever listens on the socket.
    const pty = newPty(`/proc/${record.pid}/root`);
    slave = openSync(`/proc/${record.pid}/root${pty.slavePath}`, sys.O_RDWR | sys.O_NOCTTY);
    const socket = sys.connectUnix(resolve(options.consoleSocket!));
    try {
      sys.sendFd(socket, pty.master, pty.slavePath);
    } finally {
      sys.close(socket);
      sys.close(pty.master);
    }
    stdio = [slave, slave, slave];
  }
  const exec = execIn(config, stdio);
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((done) => exec.child.on('exit', (code, signal) => done([code, signal])));
  const failure = await exec.started;
  if (slave !== undefined) closeSync(slave);
  if (failure) {
    await exited;
    throw Object.assign(new CartonError(failure.error, failure.hint), { exitCode: failure.exitCode });
  }
  if (options.pidFile) {
    writeWhole(resolve(options.pidFile), String(exec.child.pid));
  }
  if (options.detach) {
    exec.child.unref();
    return 0;
  }
  return exitStatus(await exited);
}
