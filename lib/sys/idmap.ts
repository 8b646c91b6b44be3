// Idmapped mounts (mount_setattr(2) with MOUNT_ATTR_IDMAP, Linux 5.12): a bind mount through
// which every file's owner is seen shifted by a user namespace's mapping. Host uid 0 reads
// as uid 0 *inside* that namespace, so its root (an unprivileged id range on the host) owns
// an image's files without one of them being copied or chowned. The new mount API does it in
// three calls, none of which glibc wraps: open_tree makes a detached copy of a directory's
// mount, mount_setattr idmaps it, move_mount attaches it.
import { raw } from './libc.js';
import * as C from './constants.js';
import { check, q } from './errors.js';

// New syscalls have one number on every architecture.
const SYS_open_tree = 428;
const SYS_move_mount = 429;
const SYS_mount_setattr = 442;
const OPEN_TREE_CLONE = 1;
const MOVE_MOUNT_F_EMPTY_PATH = 0x4;
const MOUNT_ATTR_IDMAP = 0x00100000;

/** Mount `source` at `target`, its owners mapped through the user namespace open as `usernsFd`. */
export function idmappedBind(source: string, target: string, usernsFd: number): void {
  const tree = check(raw.syscall(SYS_open_tree, 'int', C.AT_FDCWD, 'str', source, 'unsigned int', OPEN_TREE_CLONE | C.O_CLOEXEC), 'open_tree', () => `${q(source)} (OPEN_TREE_CLONE)`);
  try {
    const attr = Buffer.alloc(32); // struct mount_attr { u64 attr_set, attr_clr, propagation, userns_fd; }
    attr.writeBigUInt64LE(BigInt(MOUNT_ATTR_IDMAP), 0);
    attr.writeBigUInt64LE(BigInt(usernsFd), 24);
    check(raw.syscall(SYS_mount_setattr, 'int', tree, 'str', '', 'unsigned int', C.AT_EMPTY_PATH, 'void *', attr, 'size_t', 32), 'mount_setattr', () => `${q(source)} (MOUNT_ATTR_IDMAP)`);
    check(raw.syscall(SYS_move_mount, 'int', tree, 'str', '', 'int', C.AT_FDCWD, 'str', target, 'unsigned int', MOVE_MOUNT_F_EMPTY_PATH), 'move_mount', () => `${q(source)} to ${q(target)}`);
  } finally {
    raw.close(tree);
  }
}
