// --userns=private where a layer cannot be idmapped (a kernel before 5.12, or a filesystem
// that does not allow it: mount_setattr says EINVAL): a copy of the layer whose owners are
// shifted into the namespace's range, as Docker's userns-remap keeps its layers. A copy is
// made once per layer and range, in the image store beside the layers
// (shifted/<uid>-<gid>/<layer>), and reused by every later container; image gc removes it
// with its layer.
import { execFileSync } from 'node:child_process';
import { existsSync, lchownSync, lstatSync, chmodSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as sys from '../sys/index.js';
import { CartonError, q } from '../sys/errors.js';
import type { UserNamespace } from './userns.js';

/** The copy of `layer` (a store's layers/<hex>) shifted into `userns`, made now if it is not there yet. */
export function shiftedLayer(layer: string, userns: UserNamespace): string {
  const store = dirname(dirname(layer));
  if (basename(dirname(layer)) !== 'layers') throw new CartonError(`--userns=private: ${q(layer)} is not a layer of an image store`);
  const range = join(store, 'shifted', `${userns.uid}-${userns.gid}`);
  const copy = join(range, basename(layer));
  if (existsSync(copy)) return copy;
  // Made aside, under the store's tmp (gc removes what a killed carton left there), and
  // renamed into place whole: a copy that exists is complete.
  const tmp = join(store, 'tmp', `shift.${process.pid}.${Math.random().toString(36).slice(2)}`);
  try {
    // cp -a keeps what a layer holds: hard links, devices (whiteouts), xattrs (opaque marks), times.
    execFileSync('cp', ['-a', '--no-target-directory', layer, tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
    throw new CartonError(`--userns=private: copy layer ${q(basename(layer))} for range ${userns.uid}: ${stderr || (error as Error).message}`, 'is the disk full? `carton system df` shows what the store holds');
  }
  try {
    shiftOwners(tmp, userns);
    mkdirSync(range, { recursive: true });
    renameSync(tmp, copy);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    // Another carton made the same copy meanwhile: use theirs.
    if (['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) return copy;
    throw error;
  }
  return copy;
}

const CAPABILITY = 'security.capability';
const VFS_CAP_REVISION_3 = 0x03000000;

/**
 * Shift the owners of `dir` and everything in it into the namespace's range (uid 0 →
 * userns.uid), following no symlink. chown(2) clears a file's setuid and setgid bits and
 * its file capabilities, even as root, so both are put back: the mode as it was, the
 * capabilities as a version-3 xattr whose root is the namespace's (a version-2 one means
 * the host's root, which the namespace does not map, and would be ignored there).
 */
export function shiftOwners(dir: string, userns: UserNamespace): void {
  const shift = (path: string) => {
    const st = lstatSync(path);
    const regular = st.isFile();
    const caps = regular ? fileCapabilities(path) : null;
    if (st.uid < userns.size && st.gid < userns.size) lchownSync(path, userns.uid + st.uid, userns.gid + st.gid);
    if (!st.isSymbolicLink() && st.mode & 0o6000) chmodSync(path, st.mode & 0o7777);
    if (caps) sys.lsetxattr(path, CAPABILITY, capabilitiesFor(caps, userns.uid));
    if (st.isDirectory()) for (const name of readdirSync(path)) shift(join(path, name));
  };
  shift(dir);
}

function fileCapabilities(path: string): Buffer | null {
  try {
    return sys.lgetxattr(path, CAPABILITY);
  } catch {
    return null; // a filesystem without xattrs has no file capabilities either
  }
}

/** struct vfs_ns_cap_data: magic_etc, {permitted, inheritable} × 2, rootid (linux/capability.h). */
function capabilitiesFor(caps: Buffer, rootid: number): Buffer {
  const out = Buffer.alloc(24);
  caps.copy(out, 0, 0, Math.min(caps.length, 20));
  out.writeUInt32LE(VFS_CAP_REVISION_3 | (caps.readUInt32LE(0) & 1), 0); // keep the effective flag
  out.writeUInt32LE(rootid, 20);
  return out;
}
