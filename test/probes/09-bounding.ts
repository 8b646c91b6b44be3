// Probe: dropBoundingSet(argv[2..]) with the implementation under test, then print CapBnd.
import { readFileSync } from 'node:fs';
import { chapter } from '../../lib/impl.js';

const { dropBoundingSet } = await chapter.security();
dropBoundingSet(process.argv.slice(2));
process.stdout.write(/^CapBnd:\s*(\w+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1] + '\n');
