// npm run bench — start-to-exit latency of a container running `true`, side by side in one
// run: carton, runc and `carton oci run` (same rootfs, an OCI bundle made with `runc spec`), unshare(1) + chroot,
// and `node -e 0` (the floor for anything written in Node). Reported as medians and ratios.
// Runs alternate between the contenders so that machine noise hits them all alike.
import { randomBytes } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { createContainer, listContainers, loadContainer, updateContainer } from '../runtime/state.js';
import { ImageStore } from '../../solutions/07-images/store.js';
import { throughput } from './throughput.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 20);
const state = mkdtempSync(join(tmpdir(), 'carton-bench-'));
chmodSync(state, 0o711); // --userns=private's root must reach its directories, as under /var/lib/carton
// Its own bridge and nft table, as the tests have, removed at the end with the rest of its
// state (never the user's carton0), and IPv4 forwarding put back as it was.
const network = `cbench${process.pid % 100000}`;
const forwarding = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
const env = { ...process.env, CARTON_ROOT: join(state, 'lib'), CARTON_RUN: join(state, 'run'), CARTON_BRIDGE: network, CARTON_NFT_TABLE: network };
const carton = [process.execPath, join(repo, 'lib/cli/carton.js')];

interface Contender {
  name: string;
  argv: string[];
}

function which(program: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function runcBundle(rootfs: string): string | undefined {
  if (!which('runc')) return undefined;
  const bundle = join(state, 'bundle');
  mkdirSync(bundle, { recursive: true });
  execFileSync('runc', ['spec', '--bundle', bundle]);
  const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
  spec.root = { path: rootfs, readonly: true };
  spec.process.terminal = false;
  spec.process.args = ['/bin/true'];
  writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
  return bundle;
}

function time(argv: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  if (!existsSync(join(repo, 'dist/lib/cli/main.js'))) throw new Error('run `npm run build` first (npm run bench does)');
  // Warm up, and build the default image, so its cost is not measured.
  execFileSync(carton[0], [...carton.slice(1), 'run', '--rm', 'carton/busybox', 'true'], { env });
  // carton/busybox has one layer: its unpacked directory is a whole root filesystem.
  const rootfs = execFileSync(carton[0], [...carton.slice(1), 'inspect', '--type', 'image', '-f', '{{.GraphDriver.Data.LowerDir}}', 'carton/busybox'], { env, encoding: 'utf8' }).trim();
  const contenders: Contender[] = [
    { name: 'carton run --rm carton/busybox true', argv: [...carton, 'run', '--rm', 'carton/busybox', 'true'] },
    // The stage's Node started while the CLI prepares (#19 item 2), and not: what it saves.
    { name: 'carton run, the stage not started ahead', argv: ['env', 'CARTON_STAGE_AHEAD=0', ...carton, 'run', '--rm', 'carton/busybox', 'true'] },
    { name: 'carton run (chapter 01 level: chroot only)', argv: ['env', 'CARTON_CHAPTER=1', ...carton, 'run', '--rm', 'carton/busybox', 'true'] },
  ];
  const bundle = runcBundle(rootfs);
  let id = 0;
  if (bundle) {
    contenders.push({ name: 'runc run (same rootfs)', argv: ['runc', 'run', '--bundle', bundle, 'RUNC_ID'] });
    contenders.push({ name: 'carton oci run (the same bundle)', argv: [...carton, 'oci', '--root', join(state, 'oci'), 'run', '--bundle', bundle, 'RUNC_ID'] });
  }
  // carton build of a five-step Dockerfile: from scratch (--no-cache), and again with the cache.
  const context = join(state, 'build');
  mkdirSync(join(context, 'src'), { recursive: true });
  writeFileSync(join(context, 'src', 'app.sh'), 'echo app\n');
  writeFileSync(join(context, 'Dockerfile'), 'FROM carton/busybox\nENV MODE=bench\nCOPY src/ /app/\nRUN sh /app/app.sh > /app/out\nCMD ["cat", "/app/out"]\n');
  const buildArgs = ['build', '-q', '--network', 'none', '-t', 'bench:1', context];
  execFileSync(carton[0], [...carton.slice(1), ...buildArgs], { env }); // fills the cache
  contenders.push({ name: 'carton build, five steps, --no-cache', argv: [...carton, 'build', '--no-cache', ...buildArgs.slice(1)] });
  contenders.push({ name: 'carton build, the same, all cached', argv: [...carton, ...buildArgs] });
  // What chapter 09's hardening (capabilities, seccomp, masked paths) costs a start: the same
  // run with chapter 08's features and with chapter 09's, no network either way.
  contenders.push({ name: 'carton run --network none (chapter 08 level)', argv: ['env', 'CARTON_CHAPTER=8', ...carton, 'run', '--rm', '--network', 'none', 'carton/busybox', 'true'] });
  contenders.push({ name: 'carton run --network none (chapter 09: hardened)', argv: [...carton, 'run', '--rm', '--network', 'none', 'carton/busybox', 'true'] });
  // --userns=private: a range of the bench's own (never /etc/subuid).
  const subid = join(state, 'subid');
  writeFileSync(subid, 'carton:100000:65536\n');
  contenders.push({ name: 'carton run --network none --userns=private', argv: ['env', `CARTON_SUBUID=${subid}`, `CARTON_SUBGID=${subid}`, ...carton, 'run', '--rm', '--network', 'none', '--userns=private', 'carton/busybox', 'true'] });
  // The state store (#20): what listing and finding cost with 10 and with 1,000 records.
  for (const count of [10, 1000]) {
    const root = stateWith(count);
    contenders.push({ name: `carton ps -a, ${count} records`, argv: ['env', `CARTON_ROOT=${root}`, ...carton, 'ps', '-aq'] });
    contenders.push({ name: `carton inspect by name, ${count} records`, argv: ['env', `CARTON_ROOT=${root}`, ...carton, 'inspect', '-f', '{{.Id}}', `bench-${count - 1}`] });
    contenders.push({ name: `carton run --rm --network none, ${count} records`, argv: ['env', `CARTON_ROOT=${root}`, ...carton, 'run', '--rm', '--network', 'none', 'carton/busybox', 'true'] });
    const cli = carton.map((a) => `'${a}'`).join(' ');
    contenders.push({ name: `carton create + rm, ${count} records`, argv: ['env', `CARTON_ROOT=${root}`, 'sh', '-c', `${cli} rm $(${cli} create --network none carton/busybox true) >/dev/null`] });
  }
  // Growth (#19): a start with 100 containers running in the same state root, against the
  // hardened --network none row above (none running); `carton images` over 10 and 500 images.
  const busy = busyRoot(100);
  contenders.push({ name: 'carton run --rm --network none, 100 running', argv: ['env', `CARTON_ROOT=${busy}`, ...carton, 'run', '--rm', '--network', 'none', 'carton/busybox', 'true'] });
  for (const count of [10, 500]) contenders.push({ name: `carton images, ${count} images`, argv: ['env', `CARTON_ROOT=${imagesWith(count)}`, ...carton, 'images', '-q'] });
  contenders.push({ name: 'unshare --fork --pid --mount-proc chroot', argv: ['unshare', '--fork', '--pid', '--mount', '--uts', '--ipc', '--net', '--mount-proc', 'chroot', rootfs, '/bin/true'] });
  contenders.push({ name: 'node -e 0', argv: [process.execPath, '-e', '0'] });

  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let i = 0; i < runs; i++) {
    for (const c of contenders) {
      const argv = c.argv.map((a) => (a === 'RUNC_ID' ? `carton-bench-${process.pid}-${id++}` : a));
      samples.get(c.name)!.push(time(argv));
    }
  }
  const node = median(samples.get('node -e 0')!);
  const ours = median(samples.get(contenders[0].name)!);
  const width = Math.max(...contenders.map((c) => c.name.length)) + 2;
  console.log(`start-to-exit of \`true\` in a container, median of ${runs} runs each (${new Date().toISOString().slice(0, 10)}, ${process.version})\n`);
  console.log(`${'contender'.padEnd(width)}${'median ms'.padStart(11)}${'× node -e 0'.padStart(14)}${'carton ÷ it'.padStart(14)}`);
  for (const c of contenders) {
    const m = median(samples.get(c.name)!);
    console.log(`${c.name.padEnd(width)}${m.toFixed(1).padStart(11)}${(m / node).toFixed(2).padStart(14)}${(ours / m).toFixed(2).padStart(14)}`);
  }
  const plain = median(samples.get('carton run --network none (chapter 08 level)')!);
  const hardened = median(samples.get('carton run --network none (chapter 09: hardened)')!);
  console.log(`\nchapter 09's hardening costs ${(hardened - plain).toFixed(1)} ms a start: ${(hardened / plain).toFixed(2)} of the unhardened run`);
  const remapped = median(samples.get('carton run --network none --userns=private')!);
  console.log(`a user namespace of its own (--userns=private) costs ${(remapped - hardened).toFixed(1)} ms a start: ${(remapped / hardened).toFixed(2)} of the hardened run`);
  const ps10 = median(samples.get('carton ps -a, 10 records')!);
  const ps1000 = median(samples.get('carton ps -a, 1000 records')!);
  console.log(`ps -a over 1,000 records takes ${(ps1000 / ps10).toFixed(2)} times as long as over 10 (${((ps1000 - ps10) / 990 * 1000).toFixed(1)} µs a record)`);
  const late = median(samples.get('carton run, the stage not started ahead')!);
  console.log(`starting the stage's Node ahead saves ${(late - ours).toFixed(1)} ms a run: ${(ours / late).toFixed(2)} of the time without it`);
  const idle = median(samples.get('carton run --network none (chapter 09: hardened)')!);
  const crowded = median(samples.get('carton run --rm --network none, 100 running')!);
  console.log(`a start with 100 containers running takes ${(crowded / idle).toFixed(2)} of one with none running`);
  const images10 = median(samples.get('carton images, 10 images')!);
  const images500 = median(samples.get('carton images, 500 images')!);
  console.log(`carton images over 500 images takes ${(images500 / images10).toFixed(2)} times as long as over 10`);
  stopAll(busy);
  const first = median(samples.get('carton build, five steps, --no-cache')!);
  const cached = median(samples.get('carton build, the same, all cached')!);
  console.log(`\na cached rebuild takes ${(cached / first).toFixed(2)} of the first build's time`);
}

/**
 * A state root holding `count` created containers (records copied from a real one, each with
 * an id and name of its own; never started), for the store's bench rows.
 */
function stateWith(count: number): string {
  const root = join(state, `records-${count}`);
  const seed = execFileSync(carton[0], [...carton.slice(1), 'create', '--network', 'none', '--name', `seed-${count}`, 'carton/busybox', 'true'], { env, encoding: 'utf8' }).trim();
  const record = loadContainer(seed, join(state, 'lib'))!;
  execFileSync(carton[0], [...carton.slice(1), 'rm', seed], { env });
  mkdirSync(root, { recursive: true });
  symlinkSync(join(state, 'lib', 'images'), join(root, 'images')); // the same image store: run and create need carton/busybox
  for (let n = 0; n < count; n++) {
    const id = randomBytes(32).toString('hex');
    createContainer({ ...record, id, name: `bench-${n}`, created: new Date(Date.now() + n).toISOString() }, root);
  }
  return root;
}

/** A state root (sharing the image store) with `count` detached containers running `sleep`. */
function busyRoot(count: number): string {
  const root = join(state, `running-${count}`);
  mkdirSync(root, { recursive: true });
  symlinkSync(join(state, 'lib', 'images'), join(root, 'images'));
  const cli = carton.map((a) => `'${a}'`).join(' ');
  // Ten at a time: each run -d waits for its container's program to start.
  execFileSync('sh', ['-c', `for i in $(seq ${count / 10}); do for j in 0 1 2 3 4 5 6 7 8 9; do ${cli} run -d --network none carton/busybox sleep 3600 >/dev/null & done; wait; done`], { env: { ...env, CARTON_ROOT: root } });
  return root;
}

function stopAll(root: string): void {
  const cli = carton.map((a) => `'${a}'`).join(' ');
  execFileSync('sh', ['-c', `${cli} rm -f $(${cli} ps -aq) >/dev/null`], { env: { ...env, CARTON_ROOT: root } });
}

/**
 * An image store with `count` images (each its own config, all sharing carton/busybox's
 * layer), for `carton images`. Made through the store's API, as a pull would leave them.
 */
function imagesWith(count: number): string {
  const root = join(state, `images-${count}`);
  const store = new ImageStore(join(root, 'images'));
  const source = new ImageStore(join(state, 'lib', 'images'));
  const base = source.find('carton/busybox')!;
  for (const layer of base.manifest.layers) store.putBlob(source.readBlob(layer.digest));
  for (const diffId of base.config.rootfs.diff_ids) {
    symlinkSync(source.layerDir(diffId), store.layerDir(diffId));
    writeFileSync(store.layerDir(diffId) + '.json', JSON.stringify({ size: source.layerSize(diffId) }));
  }
  for (let n = 0; n < count; n++) {
    const config = JSON.stringify({ ...base.config, created: new Date(Date.now() - n * 1000).toISOString(), config: { ...base.config.config, Labels: { 'bench.n': String(n) } } });
    const configDigest = store.putBlob(config);
    const manifest = store.putBlob(JSON.stringify({ ...base.manifest, config: { ...base.manifest.config, digest: configDigest, size: Buffer.byteLength(config) } }));
    store.addImage(manifest, [`bench/image-${n}:latest`]);
  }
  return root;
}

/**
 * The state store against the one it replaced (#20): reading every record, the work of
 * `ps -a`, from SQLite and from one JSON file per container (carton's layout until the
 * store, reproduced here), over 10 and 1,000 records; and changing one record.
 */
function storeAgainstFiles(): void {
  console.log('\nthe record store against one JSON file per container (in process, median of 20):');
  for (const count of [10, 1000]) {
    const root = join(state, `store-${count}`);
    const files = join(root, 'files');
    const record = loadContainer(readdirSync(join(state, `records-${count}`, 'containers'))[0], join(state, `records-${count}`))!;
    for (let n = 0; n < count; n++) {
      const id = randomBytes(32).toString('hex');
      mkdirSync(join(files, id), { recursive: true });
      writeFileSync(join(files, id, 'container.json'), JSON.stringify({ ...record, id, name: `f-${n}` }, null, 2));
      createContainer({ ...record, id, name: `s-${n}` }, root);
    }
    const clock = (fn: () => unknown) => median(Array.from({ length: 20 }, () => {
      const start = performance.now();
      fn();
      return performance.now() - start;
    }));
    const fromFiles = clock(() => readdirSync(files).map((id) => JSON.parse(readFileSync(join(files, id, 'container.json'), 'utf8'))));
    const fromStore = clock(() => listContainers(root));
    const one = listContainers(root)[0].id;
    const oneFile = join(files, readdirSync(files)[0], 'container.json');
    const writeFile = clock(() => {
      const r = JSON.parse(readFileSync(oneFile, 'utf8'));
      r.restartCount++;
      writeFileSync(`${oneFile}.tmp`, JSON.stringify(r, null, 2));
      renameSync(`${oneFile}.tmp`, oneFile);
    });
    const writeStore = clock(() => updateContainer(one, (r) => r.restartCount++, root));
    console.log(`  ${String(count).padStart(5)} records: list ${fromStore.toFixed(2)} ms from the store, ${fromFiles.toFixed(2)} ms from files (${(fromFiles / fromStore).toFixed(2)}×); change one ${writeStore.toFixed(3)} ms in a transaction, ${writeFile.toFixed(3)} ms as a file write and rename without its lock`);
  }
}

/** Resident memory of the monitor that `carton run -d` leaves per container (conmon's job). */
function monitorMemory(): void {
  const id = execFileSync(carton[0], [...carton.slice(1), 'run', '-d', 'carton/busybox', 'sleep', '30'], { env, encoding: 'utf8' }).trim();
  try {
    const inspect = JSON.parse(execFileSync(carton[0], [...carton.slice(1), 'inspect', id], { env, encoding: 'utf8' }))[0];
    const status = readFileSync(`/proc/${inspect.Carton.MonitorPid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const mib = (field: string) => `${(kb(field) / 1024).toFixed(1)} MiB`;
    // RssFile is mostly the node binary's pages, shared by every monitor; RssAnon is what
    // each additional detached container really costs.
    console.log(`\nmonitor of a detached container: VmRSS ${mib('VmRSS')} = RssAnon ${mib('RssAnon')} (its own) + RssFile ${mib('RssFile')} (shared node binary and libraries)`);
  } finally {
    execFileSync(carton[0], [...carton.slice(1), 'rm', '-f', id], { env });
  }
}

// skopeo (throughput.ts) keeps a blob cache for root in /var/lib/containers whatever its
// flags: on a machine that had none, it goes with the rest.
const hadContainersDir = existsSync('/var/lib/containers');
try {
  main();
  storeAgainstFiles();
  monitorMemory();
  throughput({ carton, env, state });
} finally {
  rmSync(state, { recursive: true, force: true });
  if (!hadContainersDir) rmSync('/var/lib/containers', { recursive: true, force: true });
  spawnSync('ip', ['link', 'del', network], { stdio: 'ignore' });
  spawnSync('nft', ['delete', 'table', 'ip', network], { stdio: 'ignore' });
  writeFileSync('/proc/sys/net/ipv4/ip_forward', forwarding);
}
