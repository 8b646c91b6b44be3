// Chapter 08 — a mount's options, as config.json lists them ("nosuid", "ro", "mode=755"),
// are three things to the kernel: flags of mount(2) (MS_NOSUID, MS_RDONLY), a propagation
// change made by a second mount(2) call (MS_PRIVATE, MS_SHARED …), and the rest, passed
// as the filesystem's own data string ("mode=755,size=65536k"). mount(8) draws the same
// lines; see its FILESYSTEM-INDEPENDENT MOUNT OPTIONS, and mount(2).
import * as sys from '../../lib/sys/index.js';

export interface MountOptions {
  /** MS_* flags for the mount itself. */
  flags: number;
  /** MS_PRIVATE/MS_SHARED/MS_SLAVE/MS_UNBINDABLE (with MS_REC for the r* forms), each applied after. */
  propagation: number[];
  /** What the filesystem itself reads, comma-separated; "" when nothing. */
  data: string;
}

// option → [flag, set?]: "ro" sets MS_RDONLY, "rw" clears it.
const FLAGS: Record<string, [number, boolean]> = {
  defaults: [0, false],
  ro: [sys.MS_RDONLY, true], rw: [sys.MS_RDONLY, false],
  nosuid: [sys.MS_NOSUID, true], suid: [sys.MS_NOSUID, false],
  nodev: [sys.MS_NODEV, true], dev: [sys.MS_NODEV, false],
  noexec: [sys.MS_NOEXEC, true], exec: [sys.MS_NOEXEC, false],
  sync: [sys.MS_SYNCHRONOUS, true], async: [sys.MS_SYNCHRONOUS, false],
  dirsync: [sys.MS_DIRSYNC, true],
  remount: [sys.MS_REMOUNT, true],
  mand: [sys.MS_MANDLOCK, true], nomand: [sys.MS_MANDLOCK, false],
  noatime: [sys.MS_NOATIME, true], atime: [sys.MS_NOATIME, false],
  nodiratime: [sys.MS_NODIRATIME, true], diratime: [sys.MS_NODIRATIME, false],
  relatime: [sys.MS_RELATIME, true], norelatime: [sys.MS_RELATIME, false],
  strictatime: [sys.MS_STRICTATIME, true], nostrictatime: [sys.MS_STRICTATIME, false],
  bind: [sys.MS_BIND, true],
  rbind: [sys.MS_BIND | sys.MS_REC, true],
};

const PROPAGATION: Record<string, number> = {
  private: sys.MS_PRIVATE, rprivate: sys.MS_PRIVATE | sys.MS_REC,
  shared: sys.MS_SHARED, rshared: sys.MS_SHARED | sys.MS_REC,
  slave: sys.MS_SLAVE, rslave: sys.MS_SLAVE | sys.MS_REC,
  unbindable: sys.MS_UNBINDABLE, runbindable: sys.MS_UNBINDABLE | sys.MS_REC,
};

// #region parseMountOptions
/** Split a mount's options into flags, propagation changes and the data string. */
export function parseMountOptions(options: string[] = []): MountOptions {
  let flags = 0;
  const propagation: number[] = [];
  const data: string[] = [];
  for (const option of options) {
    const flag = FLAGS[option];
    if (flag) flags = flag[1] ? flags | flag[0] : flags & ~flag[0];
    else if (option in PROPAGATION) propagation.push(PROPAGATION[option]);
    else data.push(option);
  }
  return { flags, propagation, data: data.join(',') };
}
// #endregion parseMountOptions

/** The flag word for a propagation name ("rprivate"), or undefined for an unknown one. */
export function propagationFlags(name: string): number | undefined {
  return PROPAGATION[name];
}
