// A root filesystem is just a directory tree with a program in it. The smallest useful one
// is a statically linked busybox (one file, ~400 commands as symlinks). Without it, copy host
// programs together with the shared libraries and the ELF interpreter they need.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, chmodSync, lstatSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CartonError } from '../../lib/sys/index.js';

const BUSYBOX_PATHS = ['/bin/busybox', '/usr/bin/busybox'];
const FALLBACK_PROGRAMS = ['sh', 'ls', 'cat', 'echo', 'mkdir', 'rm', 'ps', 'hostname', 'id', 'sleep', 'true', 'false', 'env', 'mount', 'stat', 'readlink', 'chroot', 'uname', 'grep', 'touch', 'ln', 'pwd', 'head', 'wc'];

/** True when the ELF file has no PT_INTERP program header, i.e. it is statically linked. */
export function isStaticElf(file: string): boolean {
  const elf = readFileSync(file);
  if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2) return false; // "\x7fELF", 64-bit
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  const phnum = elf.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    if (elf.readUInt32LE(phoff + i * phentsize) === 3 /* PT_INTERP */) return false;
  }
  return true;
}

/** The host's static busybox, if there is one. */
export function findStaticBusybox(): string | undefined {
  return BUSYBOX_PATHS.find((p) => existsSync(p) && isStaticElf(p));
}

// #region parseLdd
/**
 * The files a dynamically linked program needs, from the output of `ldd PROGRAM`:
 *   linux-vdso.so.1 (0x00007ffd...)                 ← in the kernel, no file
 *   libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)
 *   /lib64/ld-linux-x86-64.so.2 (0x...)             ← the ELF interpreter
 */
export function parseLdd(output: string): string[] {
  const files: string[] = [];
  for (const line of output.split('\n')) {
    const match = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)/.exec(line);
    if (match && !files.includes(match[1])) files.push(match[1]);
  }
  return files;
}
// #endregion parseLdd

function copyPreservingPath(file: string, rootfs: string): void {
  const target = join(rootfs, file);
  if (existsSync(target)) return;
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target);
  chmodSync(target, lstatSync(file).mode & 0o7777);
}

function skeleton(rootfs: string): void {
  for (const dir of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'proc', 'sys', 'dev', 'tmp', 'root', 'home', 'var', 'run', 'mnt']) {
    mkdirSync(join(rootfs, dir), { recursive: true });
  }
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  writeFileSync(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
  writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
  // Mount points for the files a runtime bind-mounts per container (chapter 03).
  for (const file of ['hostname', 'hosts', 'resolv.conf']) writeFileSync(join(rootfs, 'etc', file), '');
}

/**
 * Build a minimal root filesystem in `rootfs` (created if missing). Uses the host's static
 * busybox when present (pass null as `busybox` to do without it); otherwise copies host
 * programs and their libraries.
 * Returns which way it went.
 */
export function makeRootfs(rootfs: string, busybox: string | null = findStaticBusybox() ?? null): 'busybox' | 'host-binaries' {
  skeleton(rootfs);
  if (busybox) {
    copyFileSync(busybox, join(rootfs, 'bin/busybox'));
    chmodSync(join(rootfs, 'bin/busybox'), 0o755);
    // `busybox --list-full` prints each applet with its usual path: bin/sh, usr/bin/wget ...
    const applets = execFileSync(busybox, ['--list-full'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const applet of applets) {
      const link = join(rootfs, applet);
      if (existsSync(link) || applet === 'bin/busybox') continue;
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync('/bin/busybox', link);
    }
    return 'busybox';
  }
  let copied = 0;
  for (const name of FALLBACK_PROGRAMS) {
    const program = ['/bin', '/usr/bin', '/sbin', '/usr/sbin'].map((d) => `${d}/${name}`).find((p) => existsSync(p));
    if (!program) continue;
    copyPreservingPath(program, rootfs);
    let libs: string[] = [];
    try {
      libs = parseLdd(execFileSync('ldd', [program], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    } catch {
      // ldd exits 1 for a static program: it needs no libraries.
    }
    for (const lib of libs) copyPreservingPath(lib, rootfs);
    copied++;
  }
  if (copied === 0) throw new CartonError('make rootfs: found neither a static busybox nor host programs to copy', 'install busybox-static (apt-get install busybox-static)');
  return 'host-binaries';
}
