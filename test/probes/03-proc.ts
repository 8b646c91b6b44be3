// Probe (run as PID 1 under `unshare --pid --fork --mount`): mountProc(argv[2]) with the
// implementation under test, then report what that procfs shows.
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { chapter } from '../../lib/impl.js';
import { holdAndReport } from './01-hold.js';

const root = process.argv[2];
const { mountProc } = await chapter.filesystem();
mountProc(root);
const pids = readdirSync(join(root, 'proc')).filter((n) => /^\d+$/.test(n)).map(Number);
holdAndReport({ self: readlinkSync(join(root, 'proc/self')), pids });
