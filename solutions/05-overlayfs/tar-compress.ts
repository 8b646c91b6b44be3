// A tarball may come compressed: layers as gzip (most registries) or zstd (newer images),
// saved images piped through gzip. The first bytes say which: gzip starts with 1f 8b, zstd
// with 28 b5 2f fd. Node 20's zlib has gzip but no zstd, so the zstd program decompresses.
import { spawn } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CartonError } from '../../lib/sys/index.js';

export type Compression = 'gzip' | 'zstd' | 'none';

/** The compression its first bytes announce. */
export function compressionOf(head: Buffer): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.readUInt32BE(0) === 0x28b52ffd) return 'zstd';
  return 'none';
}

/** Read the first `n` bytes of `input` and push them back, so the stream still starts at 0. */
async function peek(input: Readable, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  while (got < n) {
    const chunk = input.read() as Buffer | null;
    if (chunk !== null) {
      chunks.push(chunk);
      got += chunk.length;
      continue;
    }
    if (input.readableEnded || input.destroyed) break;
    await new Promise<void>((resolve, reject) => {
      const done = () => { input.off('readable', done); input.off('end', done); input.off('error', fail); resolve(); };
      const fail = (e: Error) => { done(); reject(e); };
      input.on('readable', done).on('end', done).on('error', fail);
    });
  }
  const head = Buffer.concat(chunks);
  if (head.length > 0) input.unshift(head);
  return head;
}

function zstdDecompress(input: Readable): Readable {
  const out = new PassThrough();
  const zstd = spawn('zstd', ['-d', '-c', '-q'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  zstd.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  zstd.stdout.pipe(out, { end: false });
  zstd.on('error', (e) => out.destroy(new CartonError(`decompress zstd: ${e.message}`, 'install zstd (apt-get install zstd)')));
  // The output ends only when zstd says all went well: a truncated stream is an error, not a short tar.
  zstd.on('close', (code) => {
    if (code === 0) out.end();
    else out.destroy(new CartonError(`decompress zstd: exit status ${code}: ${stderr.trim()}`, 'the data is not valid zstd, or it is truncated'));
  });
  out.on('close', () => {
    if (zstd.exitCode === null && zstd.signalCode === null) zstd.kill();
    input.destroy();
  });
  input.on('error', (e) => out.destroy(e));
  zstd.stdin.on('error', () => {}); // zstd quit early: its exit status says why
  input.pipe(zstd.stdin);
  return out;
}

/** `input` decompressed as its first bytes say (gzip, zstd or none). */
export async function decompressed(input: Readable): Promise<Readable> {
  const compression = compressionOf(Buffer.concat([await peek(input, 4), Buffer.alloc(4)]));
  if (compression === 'none') return input;
  if (compression === 'zstd') return zstdDecompress(input);
  const gunzip = createGunzip();
  input.on('error', (e) => gunzip.destroy(e));
  gunzip.on('close', () => input.destroy());
  return input.pipe(gunzip);
}
