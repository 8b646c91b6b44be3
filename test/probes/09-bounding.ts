// Probe: dropBoundingSet(argv[2..]) with the implementation under test, then print CapBnd.
import { readFileSync } from 'node:fs';
import { chapter } from '../../lib/impl.js';

const { dropBoundingSet } = await chapter.security();
dropBoundingSet(process.argv.slice(2), Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8')));
process.stdout.write(/^CapBnd:\s*(\w+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1] + '\n');
