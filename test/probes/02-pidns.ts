// Probe: spawnInPidNamespace with the implementation under test; report the child's pid as
// it sees itself ($$), and prove that this process still works afterwards (async fs needs
// libuv's thread pool, which cannot start while our PID namespace for children is changed).
import { readFile } from 'node:fs/promises';
import { chapter } from '../../lib/impl.js';
import { holdAndReport } from './01-hold.js';

const { spawnInPidNamespace } = await chapter.namespaces();
const child = spawnInPidNamespace('/bin/sh', ['-c', 'echo $$; exec sleep 60'], { stdio: ['ignore', 'pipe', 'inherit'] });
const inner = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
const asyncWorks = (await readFile('/proc/self/stat', 'utf8')).length > 0;
holdAndReport({ childPid: child.pid, inner: Number(inner), asyncWorks });
child.kill('SIGKILL');
