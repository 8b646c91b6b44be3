// Runs once around all test files.
//  - Tests that start `carton` use the compiled CLI unless CARTON_IMPL=exercises, so make sure
//    dist/ exists (npm test builds it first).
//  - Every test run gets its own state roots (CARTON_ROOT, CARTON_RUN) in a temporary
//    directory, inherited by the test workers, and removed at the end: tests never touch
//    /var/lib/carton or /run/carton.
//  - At the end, a leak check: no mount, process or cgroup of this run may be left behind.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function leftovers(state: string): string[] {
  const found: string[] = [];
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter((m) => m?.startsWith(state));
  if (mounts.length) found.push(`mounts: ${mounts.join(', ')}`);
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').includes(`CARTON_ROOT=${join(state, 'lib')}`)) {
        found.push(`process ${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ')}`);
      }
    } catch {
      // gone, or a kernel thread
    }
  }
  const containers = join(state, 'lib', 'containers');
  const records = existsSync(containers) ? readdirSync(containers).filter((n) => /^[0-9a-f]{64}$/.test(n)) : [];
  if (records.length) found.push(`container records: ${records.map((r) => r.slice(0, 12)).join(', ')}`);
  const run = join(state, 'run');
  const runDirs = existsSync(run) ? readdirSync(run) : [];
  if (runDirs.length) found.push(`volatile state: ${runDirs.map((r) => r.slice(0, 12)).join(', ')}`);
  return found;
}

export default function setup(): () => Promise<void> {
  if (!existsSync(new URL('../dist/lib/cli/main.js', import.meta.url))) {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  }
  const state = mkdtempSync(join(tmpdir(), 'carton-tests-'));
  process.env.CARTON_ROOT = join(state, 'lib');
  process.env.CARTON_RUN = join(state, 'run');
  // The default network of this run: its own bridge and nft table, never the user's carton0.
  const network = `ct${process.pid % 100000}`;
  // Creating a bridge network turns on IPv4 forwarding, as Docker does; put it back after.
  const forwarding = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
  process.env.CARTON_BRIDGE = network;
  process.env.CARTON_NFT_TABLE = network;
  return async () => {
    // A process that is exiting right now gets a moment to finish.
    let found = leftovers(state);
    for (let i = 0; i < 50 && found.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      found = leftovers(state);
    }
    if (found.some((f) => f.startsWith('container records'))) {
      // Report them, but do not leave them running on the host: remove them as a user would.
      const cli = new URL('../lib/cli/carton.js', import.meta.url).pathname;
      const ids = execFileSync(process.execPath, [cli, 'ps', '-aq'], { encoding: 'utf8' }).split('\n').filter(Boolean);
      if (ids.length) execFileSync(process.execPath, [cli, 'rm', '-f', ...ids], { stdio: 'ignore' });
    }
    rmSync(state, { recursive: true, force: true });
    // Links and nft rules: the containers' veths must be gone; the bridge and table are the
    // run's own default network, removed here as `carton network rm` would.
    const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n').filter((l) => /: vc[0-9a-f]{8}[@:]/.test(l));
    if (links.length) found.push(`veths: ${links.map((l) => l.split(': ')[1]).join(', ')}`);
    try {
      execFileSync('ip', ['link', 'del', network], { stdio: 'ignore' });
    } catch {
      // never created: no test used the bridge network
    }
    try {
      execFileSync('nft', ['delete', 'table', 'ip', network], { stdio: 'ignore' });
    } catch {
      // likewise
    }
    if (process.getuid?.() === 0) writeFileSync('/proc/sys/net/ipv4/ip_forward', forwarding);
    if (found.length) {
      // vitest reports an error thrown here but still exits 0: set the exit code ourselves.
      process.exitCode = 1;
      throw new Error(`the tests left this behind:\n  ${found.join('\n  ')}`);
    }
  };
}
