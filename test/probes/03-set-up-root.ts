// Probe (run as PID 1 of new mount and PID namespaces, with the host's propagation left as it
// is): setUpRoot() with the implementation under test on argv[2], with argv[3] as the
// container's /etc/hostname; report what it sees, then hold so that the test can read its
// mount table from outside.
import { readFileSync, statSync } from 'node:fs';
import { chapter } from '../../lib/impl.js';
import { holdAndReport } from './01-hold.js';

const [rootfs, hostname] = process.argv.slice(2);
const { setUpRoot } = await chapter.filesystem();
setUpRoot(rootfs, { etcFiles: { '/etc/hostname': hostname } });
const nullDevice = statSync('/dev/null');
holdAndReport({
  hostname: readFileSync('/etc/hostname', 'utf8'),
  pid1: readFileSync('/proc/1/cmdline', 'latin1').includes('03-set-up-root'),
  nullDevice: nullDevice.isCharacterDevice() ? nullDevice.rdev : null,
  procs: readFileSync('/proc/self/mountinfo', 'utf8').length > 0,
});
