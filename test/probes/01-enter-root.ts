// Probe: enterRoot(argv[2]) with the implementation under test, then report what "/" holds.
import { readdirSync } from 'node:fs';
import { chapter } from '../../lib/impl.js';
import { holdAndReport } from './01-hold.js';

const { enterRoot } = await chapter.chroot();
enterRoot(process.argv[2]);
// Not process.cwd(): Node caches it, and only process.chdir() refreshes the cache.
holdAndReport({ root: readdirSync('/').sort() });
