// Probe: chroot into argv[2] (with the reference chroot, so this probe checks only the
// escape), then escapeChroot() with the implementation under test, then report.
import { existsSync } from 'node:fs';
import * as sys from '../../lib/sys/index.js';
import { chapter } from '../../lib/impl.js';
import { holdAndReport } from './01-hold.js';

const [rootfs, marker] = process.argv.slice(2);
const { escapeChroot } = await chapter.chroot();
sys.chroot(rootfs);
sys.chdir('/');
const jailed = existsSync(marker);
escapeChroot();
holdAndReport({ markerInside: jailed, markerAfter: existsSync(marker) });
