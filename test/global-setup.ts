// Runs once around all test files.
//  - Tests that start `carton` use the compiled CLI unless CARTON_IMPL=exercises, so make sure
//    dist/ exists (npm test builds it first).
//  - Every test run gets its own state roots (CARTON_ROOT, CARTON_RUN) in a temporary
//    directory, inherited by the test workers, and removed at the end: tests never touch
//    /var/lib/carton or /run/carton.
//  - At the end, a leak check: no mount, process, cgroup, veth, network or published-port
//    rule of this run may be left behind; containers/image's cache goes if the run made it.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

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
  // carton oci's default root lives there too: an empty one is not a leak, a container in it is.
  const oci = join(run, 'oci');
  const runDirs = [
    ...(existsSync(run) ? readdirSync(run).filter((r) => r !== 'oci') : []),
    ...(existsSync(oci) ? readdirSync(oci).map((r) => `oci/${r}`) : []),
  ];
  if (runDirs.length) found.push(`volatile state: ${runDirs.map((r) => r.slice(0, 12)).join(', ')}`);
  return found;
}

/**
 * The network objects of this run: its default network's bridge and nft table (named after
 * the run) and the user-defined networks recorded under its root (bridges cb-<8 hex>).
 * Veths still plugged into those bridges, user networks never removed and published-port
 * rules left in the table are leaks. Everything of this run is then removed, as
 * `carton network rm` would: never anything another run (or the user) made.
 */
function networkLeftovers(state: string, network: string): string[] {
  const found: string[] = [];
  const db = join(state, 'lib', 'state.db');
  let own: Array<{ name: string; bridge: string }> = [];
  if (existsSync(db)) {
    const conn = new DatabaseSync(db, { readOnly: true, timeout: 30_000 });
    own = (conn.prepare('SELECT name, bridge FROM networks').all() as Array<{ name: string; bridge: string | null }>).map((n) => ({ name: n.name, bridge: n.bridge ?? '' }));
    conn.close();
  }
  const userDefined = own.filter((n) => n.name !== 'bridge');
  if (userDefined.length) found.push(`networks: ${userDefined.map((n) => `${n.name} (${n.bridge})`).join(', ')}`);
  const bridges = [network, ...userDefined.map((n) => n.bridge)];
  const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n');
  const veths = links.filter((l) => bridges.some((b) => l.includes(` master ${b} `))).map((l) => l.split(': ')[1].split('@')[0]);
  if (veths.length) found.push(`veths: ${veths.join(', ')}`);
  let rules = '';
  try {
    rules = execFileSync('nft', ['list', 'table', 'ip', network], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    // no table: no test used a bridge network
  }
  const published = rules.split('\n').filter((l) => l.includes('comment "ctr:'));
  if (published.length) found.push(`published-port rules: ${published.map((l) => l.trim()).join('; ')}`);
  for (const name of [...veths, ...bridges]) {
    try {
      execFileSync('ip', ['link', 'del', name], { stdio: 'ignore' });
    } catch {
      // never created, or gone with its peer
    }
  }
  try {
    execFileSync('nft', ['delete', 'table', 'ip', network], { stdio: 'ignore' });
  } catch {
    // likewise
  }
  return found;
}

/** The test cgroups (carton-test-<random>, in any hierarchy) that exist now. */
function testCgroups(): Set<string> {
  const found = new Set<string>();
  if (!existsSync('/sys/fs/cgroup')) return found;
  const roots = ['/sys/fs/cgroup', ...readdirSync('/sys/fs/cgroup').map((h) => join('/sys/fs/cgroup', h))];
  for (const root of roots) {
    try {
      for (const name of readdirSync(root)) if (name.startsWith('carton-test-') || name.startsWith('carton-podman-')) found.add(join(root, name));
    } catch {
      // not a directory (a file of the v2 root)
    }
  }
  return found;
}

export default function setup(): () => Promise<void> {
  if (!existsSync(new URL('../dist/lib/cli/main.js', import.meta.url))) {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  }
  const state = mkdtempSync(join(tmpdir(), 'carton-tests-'));
  // Searchable by anyone, as /var/lib/carton and /run/carton are (not listable): a container
  // with --userns=private is an unprivileged id on the host and must reach its directories.
  chmodSync(state, 0o711);
  process.env.CARTON_ROOT = join(state, 'lib');
  process.env.CARTON_RUN = join(state, 'run');
  // Tests talk only to registries they start on 127.0.0.1: a missing image must never send
  // carton to Docker Hub.
  process.env.CARTON_OFFLINE = '1';
  // The default network of this run: its own bridge and nft table, never the user's carton0.
  const network = `ct${process.pid % 100000}`;
  // Creating a bridge network turns on IPv4 forwarding, as Docker does; put it back after.
  const forwarding = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
  process.env.CARTON_BRIDGE = network;
  process.env.CARTON_NFT_TABLE = network;
  const cgroupsBefore = testCgroups();
  // skopeo and podman (containers/image) keep a blob cache for root in /var/lib/containers,
  // whatever their storage flags say: on a machine that had none, it goes at the end.
  const hadContainersDir = existsSync('/var/lib/containers');
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
    // Links and nft rules of this run's networks (read from its root before it goes).
    if (process.getuid?.() === 0) found.push(...networkLeftovers(state, network));
    const cgroups = [...testCgroups()].filter((c) => !cgroupsBefore.has(c));
    if (cgroups.length) found.push(`cgroups: ${cgroups.join(', ')}`);
    rmSync(state, { recursive: true, force: true });
    if (!hadContainersDir) rmSync('/var/lib/containers', { recursive: true, force: true });
    if (process.getuid?.() === 0) writeFileSync('/proc/sys/net/ipv4/ip_forward', forwarding);
    if (found.length) {
      // vitest reports an error thrown here but still exits 0: set the exit code ourselves.
      process.exitCode = 1;
      throw new Error(`the tests left this behind:\n  ${found.join('\n  ')}`);
    }
  };
}
