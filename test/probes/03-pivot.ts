// Probe (run under `unshare -m --propagation private`): make argv[2] a mount point, then
// pivotInto() with the implementation under test; then try chapter 01's chroot escape (the
// reference one) and report whether the host file argv[3] became visible.
import { existsSync } from 'node:fs';
import * as sys from '../../lib/sys/index.js';
import { chapter } from '../../lib/impl.js';
import { escapeChroot } from '../../solutions/01-chroot/escape.js';
import { holdAndReport } from './01-hold.js';

const [rootfs, marker] = process.argv.slice(2);
const { pivotInto } = await chapter.filesystem();
sys.mount(rootfs, rootfs, null, sys.MS_BIND | sys.MS_REC);
pivotInto(rootfs);
const inside = existsSync('/bin/busybox');
let escaped = false;
try {
  escapeChroot('/tmp/.escape');
  escaped = existsSync(marker);
} catch {
  escaped = false;
}
holdAndReport({ inside, escaped });
