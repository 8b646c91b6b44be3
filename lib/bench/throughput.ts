// npm run bench, the throughput part (#19): what a user compares carton with when moving
// bytes rather than starting containers, each beside the tool a user would otherwise reach
// for, on the same data in one run, as MB/s and ratios:
//   - unpacking a layer (many small files and a few large ones): `carton import` beside
//     GNU `tar -xzf`;
//   - an image to and from an archive: `carton save`/`carton load` beside `skopeo copy`
//     (and, for load, `umoci unpack`, since a load leaves the layer unpacked); a pull of
//     it from a registry on 127.0.0.1 beside `skopeo copy` + `umoci unpack`;
//   - a published port: 1 GiB from a container through -p (nft's DNAT on 127.0.0.1, and
//     carton's own proxy on [::1]) beside the container's address directly.
// Sizes: BENCH_LAYER_MB (default 200) and BENCH_PORT_MB (default 1024); runs: BENCH_IO_RUNS (3).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchContext {
  carton: string[];
  env: NodeJS.ProcessEnv;
  state: string;
}

const runs = Number(process.env.BENCH_IO_RUNS ?? 3);
const layerMb = Number(process.env.BENCH_LAYER_MB ?? 200);
const portMb = Number(process.env.BENCH_PORT_MB ?? 1024);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Milliseconds of `argv`, run `runs` times with `before` (untimed) ahead of each: the median. */
function timed(argv: string[], env: NodeJS.ProcessEnv, before: () => void = () => {}): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    before();
    const start = process.hrtime.bigint();
    const r = spawnSync(argv[0], argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  }
  return median(samples);
}

function line(what: string, bytes: number, ours: number, theirs: number, them: string): void {
  const rate = (ms: number) => `${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;
  console.log(`  ${what.padEnd(34)} carton ${rate(ours).padStart(10)}   ${them} ${rate(theirs).padStart(10)}   carton takes ${(ours / theirs).toFixed(2)} of its time`);
}

/** A layer of about `mb` MB: 40% in 4 KiB files (many), 60% in three large files. Random bytes: gzip cannot shrink them. */
function makeLayer(dir: string, mb: number): string {
  const tree = join(dir, 'tree');
  const small = Math.round((mb * 0.4 * 1024) / 4);
  for (let d = 0; d < Math.ceil(small / 1000); d++) mkdirSync(join(tree, 'small', String(d)), { recursive: true });
  for (let i = 0; i < small; i++) writeFileSync(join(tree, 'small', String(Math.floor(i / 1000)), `f${i}`), randomBytes(4096));
  for (let i = 0; i < 3; i++) writeFileSync(join(tree, `large-${i}`), randomBytes(Math.round((mb * 0.6 * 1024 * 1024) / 3)));
  const file = join(dir, 'layer.tar.gz');
  execFileSync('tar', ['-I', 'gzip -1', '-cf', file, '-C', tree, '.']);
  rmSync(tree, { recursive: true, force: true });
  return file;
}

function layerAndArchives({ carton, env, state }: BenchContext): void {
  const dir = join(state, 'io');
  mkdirSync(dir, { recursive: true });
  const layer = makeLayer(dir, layerMb);
  const size = statSync(layer).size;
  const fresh = join(dir, 'root');
  const rootEnv = { ...env, CARTON_ROOT: fresh };
  const out = join(dir, 'tar-out');
  const clean = (...paths: string[]) => () => {
    for (const p of paths) rmSync(p, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
  };
  const ours = timed([...carton, 'import', layer, 'bench/big'], rootEnv, clean(fresh));
  const tar = timed(['tar', '-xzf', layer, '-C', out], env, clean(out));
  line(`unpack a ${layerMb} MB layer`, size, ours, tar, 'tar -xzf');

  // The image import left in `fresh`, to and from an archive.
  const archive = join(dir, 'image.tar');
  const skopeoArchive = join(dir, 'skopeo.tar');
  const save = timed([...carton, 'save', '-o', archive, 'bench/big'], rootEnv, clean(archive));
  const skopeoSave = timed(['skopeo', 'copy', '-q', `oci:${join(fresh, 'images')}:docker.io/bench/big:latest`, `docker-archive:${skopeoArchive}:bench/big:latest`], env, clean(skopeoArchive));
  line('save an image to an archive', size, save, skopeoSave, 'skopeo copy');
  const loaded = join(dir, 'loaded');
  const layout = join(dir, 'layout');
  const bundle = join(dir, 'bundle');
  const load = timed([...carton, 'load', '-q', '-i', archive], { ...env, CARTON_ROOT: loaded }, clean(loaded));
  const skopeoLoad = timed(['sh', '-c', `skopeo copy -q docker-archive:"$0" oci:"$1":big && umoci unpack --image "$1":big "$2" >/dev/null`, archive, layout, bundle], env, clean(layout, bundle));
  line('load it (and unpack its layer)', size, load, skopeoLoad, 'skopeo copy + umoci unpack');

  // Pushed to a registry of our own on 127.0.0.1, then pulled (and its layer unpacked).
  const registry = startRegistry(join(dir, 'registry'));
  try {
    const ref = `${registry.host}/bench/big:latest`;
    const cli = (args: string[]) => execFileSync(carton[0], [...carton.slice(1), ...args], { env: rootEnv, stdio: 'ignore' });
    cli(['tag', 'bench/big', ref]);
    cli(['push', '-q', ref]);
    const pulled = join(dir, 'pulled');
    const pull = timed([...carton, 'pull', '-q', ref], { ...env, CARTON_ROOT: pulled }, clean(pulled));
    const skopeoPull = timed(['sh', '-c', `skopeo copy -q --src-tls-verify=false docker://"$0" oci:"$1":big && umoci unpack --image "$1":big "$2" >/dev/null`, ref, layout, bundle], env, clean(layout, bundle));
    line('pull it from 127.0.0.1 (and unpack)', size, pull, skopeoPull, 'skopeo copy + umoci unpack');
  } finally {
    registry.stop();
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Debian's docker-registry on 127.0.0.1, on a port the kernel picks free, storing under
 * `dir`; stopped by its pid. (The tests' helper is asynchronous; the bench is not.)
 */
function startRegistry(dir: string): { host: string; stop(): void } {
  mkdirSync(join(dir, 'storage'), { recursive: true });
  const port = Number(execFileSync('python3', ['-c', 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'], { encoding: 'utf8' }).trim());
  const config = join(dir, 'config.yml');
  writeFileSync(config, `version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'storage')}\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const stop = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // gone already
    }
    spawnSync('sh', ['-c', 'while [ -e /proc/$0 ] && ! grep -q "^State:.Z" /proc/$0/status; do sleep 0.05; done', String(child.pid)]);
  };
  const up = spawnSync('python3', ['-c', `import time, urllib.request\nfor i in range(200):\n  try:\n    urllib.request.urlopen("http://127.0.0.1:${port}/v2/"); break\n  except Exception: time.sleep(0.05)\nelse: raise SystemExit(1)`]);
  if (up.status !== 0) {
    stop();
    throw new Error(`docker-registry did not answer on 127.0.0.1:${port}`);
  }
  return { host: `127.0.0.1:${port}`, stop };
}

/** 1 GiB from a container's port to the host: through -p, and straight to its address. */
function publishedPort({ carton, env }: BenchContext): void {
  const bytes = portMb * 1024 * 1024;
  const cli = (args: string[]) => execFileSync(carton[0], [...carton.slice(1), ...args], { env, encoding: 'utf8' }).trim();
  // busybox nc: a new server process for every connection (-ll), each sending `bytes` zeroes.
  const id = cli(['run', '-d', '-p', '80', 'carton/busybox', 'nc', '-ll', '-p', '80', '-e', 'head', '-c', String(bytes), '/dev/zero']);
  try {
    const inspect = JSON.parse(cli(['inspect', id]))[0];
    const address: string = inspect.NetworkSettings.IPAddress;
    const port: string = inspect.NetworkSettings.Ports['80/tcp'][0].HostPort;
    // The client reads until the server closes, and checks the count. Python's sockets, not the
    // host's busybox nc: that one cannot reach an IPv6 address.
    const client = 'import socket, sys\ns = socket.create_connection((sys.argv[1], int(sys.argv[2])))\nn = 0\nwhile b := s.recv(1 << 20): n += len(b)\nsys.exit(0 if n == int(sys.argv[3]) else 1)';
    const fetch = (host: string, p: string) => ['python3', '-c', client, host, p, String(bytes)];
    spawnSync('sh', ['-c', `for i in $(seq 50); do busybox nc -w 1 "$0" 80 </dev/null | head -c 1 >/dev/null && exit 0; sleep 0.1; done`, address]); // the server listens
    const direct = timed(fetch(address, '80'), env);
    const dnat = timed(fetch('127.0.0.1', port), env);
    const proxy = timed(fetch('::1', port), env);
    line(`${portMb} MiB through -p on 127.0.0.1`, bytes, dnat, direct, 'direct to the container');
    line(`${portMb} MiB through -p on [::1] (proxy)`, bytes, proxy, direct, 'direct to the container');
  } finally {
    cli(['rm', '-f', id]);
  }
}

export function throughput(context: BenchContext): void {
  console.log(`\nthroughput, median of ${runs} runs each:`);
  layerAndArchives(context);
  publishedPort(context);
}
