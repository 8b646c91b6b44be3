// Unpacking a layer: decompress the blob while hashing the tar (that hash is the layer's
// diff_id, what the config's rootfs.diff_ids lists), check it, and only then apply the tar
// with chapter 05's applyLayer (OCI whiteouts become overlay whiteouts). All of it happens
// under tmp/; the finished directory is renamed into layers/ in one step.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, lstatSync, readdirSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { join } from 'node:path';
import { CartonError } from '../../lib/sys/index.js';
import { Hasher, verify } from './digest.js';
import { LAYER_TYPES } from './manifest.js';
import type { Descriptor, Digest } from './types.js';

/** The blob's bytes, decompressed as its media type says. */
export function decompress(blobPath: string, layer: Descriptor): Readable {
  const compression = LAYER_TYPES[layer.mediaType];
  if (!compression) {
    throw new CartonError(`unpack layer ${layer.digest}: unsupported media type ${layer.mediaType}`,
      'carton unpacks tar layers, plain, gzip or zstd compressed; foreign (non-distributable) layers are not supported');
  }
  const file = createReadStream(blobPath);
  if (compression === 'none') return file;
  if (compression === 'gzip') {
    const gunzip = createGunzip();
    file.on('error', (e) => gunzip.destroy(e));
    return file.pipe(gunzip);
  }
  // Node 20's zlib has no zstd: the zstd program decompresses.
  const zstd = spawn('zstd', ['-d', '-c', '-q'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  zstd.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  zstd.on('error', (e) => zstd.stdout.destroy(new CartonError(`unpack layer ${layer.digest}: zstd: ${e.message}`, 'install zstd (apt-get install zstd)')));
  zstd.on('close', (code) => {
    if (code !== 0) zstd.stdout.destroy(new CartonError(`unpack layer ${layer.digest}: zstd exited with status ${code}: ${stderr.trim()}`, 'the layer is not valid zstd data'));
  });
  file.on('error', (e) => zstd.stdout.destroy(e));
  file.pipe(zstd.stdin);
  zstd.stdin.on('error', () => {}); // zstd quit early: its exit status reports why
  return zstd.stdout;
}

async function write(out: WriteStream, chunk: Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Decompress the layer into `tarPath`, hashing the tar; verify it against `expectedDiffId`. */
export async function decompressTo(blobPath: string, layer: Descriptor, tarPath: string, expectedDiffId?: Digest): Promise<Digest> {
  const hasher = new Hasher();
  const out = createWriteStream(tarPath, { flags: 'wx', mode: 0o600 });
  try {
    for await (const chunk of decompress(blobPath, layer)) {
      hasher.update(chunk as Buffer);
      await write(out, chunk as Buffer);
    }
  } catch (e) {
    out.destroy();
    if (e instanceof CartonError) throw e;
    throw new CartonError(`unpack layer ${layer.digest}: ${(e as Error).message}`, 'the layer blob is not valid compressed data');
  }
  out.end();
  await finished(out);
  const diffId = hasher.digest();
  if (expectedDiffId) verify({ digest: expectedDiffId, size: -1 }, { digest: diffId, size: hasher.size }, `diff_id of layer ${layer.digest}`);
  return diffId;
}

/** Bytes used by a tree, as `du --apparent-size` counts them (files and symlinks). */
export function treeSize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += treeSize(path);
    else total += lstatSync(path).size;
  }
  return total;
}
