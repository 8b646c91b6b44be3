// Probe: confine() with the implementation under test, then print this process's status lines
// that tell what it did. argv: noNewPrivileges ("1" or "0"), seccomp ("1": Docker's default
// profile, compiled by the reference compiler), then the capabilities to keep.
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { chapter } from '../../lib/impl.js';
import * as sys from '../../lib/sys/index.js';
import { compileProfile, DEFAULT_PROFILE, nativeArch } from '../../solutions/09-security/index.js';

const [nnp, filter, ...capabilities] = process.argv.slice(2);
// An ambient capability for confine to clear: CAP_KILL (5) made inheritable, then raised.
const KILL = 5;
const held = BigInt('0x' + /^CapPrm:\s*(\S+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
sys.capset({ effective: held, permitted: held, inheritable: 1n << BigInt(KILL) });
sys.prctl(sys.PR_CAP_AMBIENT, sys.PR_CAP_AMBIENT_RAISE, KILL);
const before = /^CapAmb:\s*(\S+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1];
const { confine } = await chapter.security();
const seccomp = filter === '1' ? compileProfile(DEFAULT_PROFILE, { arch: nativeArch(), caps: capabilities, kernel: release() }).toString('base64') : undefined;
confine({ capabilities, noNewPrivileges: nnp === '1', seccomp }, sys.capLastCap());
const status = readFileSync('/proc/self/status', 'utf8');
const field = (name: string) => new RegExp(`^${name}:\\s*(\\S+)$`, 'm').exec(status)![1];
process.stdout.write(JSON.stringify({ before, CapBnd: field('CapBnd'), CapAmb: field('CapAmb'), NoNewPrivs: field('NoNewPrivs'), Seccomp: field('Seccomp') }) + '\n');
