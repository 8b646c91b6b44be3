// Reading a tar stream member by member without holding the archive in memory: a small
// buffer over the stream's chunks, from which we take exactly the bytes we need.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { CartonError } from '../../lib/sys/index.js';
import { decompressed } from './tar-compress.js';
import { BLOCK, decodeHeader, parsePax, type TarEntry } from './tar-header.js';

class ByteReader {
  private chunks: AsyncIterator<Buffer>;
  private pending: Buffer = Buffer.alloc(0);

  constructor(stream: Readable) {
    this.chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** Up to `max` bytes (fewer only at the end of the stream; empty at the end). */
  async take(max: number): Promise<Buffer> {
    while (this.pending.length === 0) {
      let next: IteratorResult<Buffer>;
      try {
        next = await this.chunks.next();
      } catch (e) {
        throw new CartonError(`read tar: ${(e as Error).message}`, (e as CartonError).hint ?? 'the archive is corrupt or truncated');
      }
      if (next.done) return Buffer.alloc(0);
      this.pending = next.value;
    }
    const out = this.pending.subarray(0, max);
    this.pending = this.pending.subarray(out.length);
    return out;
  }

  /** Exactly `n` bytes, or an error naming `what` when the stream ends first. */
  async exactly(n: number, what: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < n) {
      const part = await this.take(n - got);
      if (part.length === 0) throw new CartonError(`read tar member ${what}: unexpected end of archive`, 'the archive is truncated');
      parts.push(part);
      got += part.length;
    }
    return Buffer.concat(parts);
  }
}

/** Open a tar file, decompressed when it is gzip (magic 1f 8b) or zstd (magic 28 b5 2f fd). */
export async function openTar(path: string): Promise<Readable> {
  return decompressed(createReadStream(path));
}

function paxNumber(value: Buffer, member: string): number {
  const n = Number(value.toString());
  if (!Number.isSafeInteger(n) || n < 0) throw new CartonError(`read tar member ${member}: bad number in pax header`, 'the archive is corrupt');
  return n;
}

/**
 * Call `onEntry` for each member, in order, with a function that streams its data in
 * chunks. pax ('x', 'g') and GNU long name ('L', 'K') members are folded into the next entry.
 */
export async function readTar(stream: Readable, onEntry: (entry: TarEntry, data: () => AsyncGenerator<Buffer>) => Promise<void> | void, drain = false): Promise<void> {
  const reader = new ByteReader(stream);
  let pax = new Map<string, Buffer>();
  let longName: string | undefined;
  let longLink: string | undefined;
  for (let index = 0; ; index++) {
    const block = await reader.take(BLOCK);
    if (block.length === 0) throw new CartonError('read tar: unexpected end of archive (no end-of-archive blocks)', 'the archive is truncated');
    const full = block.length === BLOCK ? block : Buffer.concat([block, await reader.exactly(BLOCK - block.length, `#${index}`)]);
    const header = decodeHeader(full, index);
    if (!header) {
      // drain: read what follows the end-of-archive blocks too (the record's padding), for a
      // caller that hashes the whole stream (a layer's diff_id covers every byte).
      if (drain) while ((await reader.take(1 << 16)).length > 0);
      return;
    }
    const { flag, entry } = header;
    if (flag === 'S') throw new CartonError(`read tar member ${entry.name}: GNU sparse files are not supported`, 'write the archive without --sparse');
    const padded = Math.ceil(entry.size / BLOCK) * BLOCK;
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (entry.size > 1 << 20) throw new CartonError(`read tar member ${entry.name}: extended header too large`, 'the archive is corrupt');
      const data = (await reader.exactly(padded, entry.name)).subarray(0, entry.size);
      if (flag === 'x') pax = parsePax(data, entry.name);
      if (flag === 'L') longName = data.toString('utf8').replace(/\0+$/, '');
      if (flag === 'K') longLink = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (longName !== undefined) entry.name = longName;
    if (longLink !== undefined) entry.linkname = longLink;
    for (const [key, value] of pax) {
      if (key === 'path') entry.name = value.toString('utf8');
      else if (key === 'linkpath') entry.linkname = value.toString('utf8');
      else if (key === 'size') entry.size = paxNumber(value, entry.name);
      else if (key === 'uid') entry.uid = paxNumber(value, entry.name);
      else if (key === 'gid') entry.gid = paxNumber(value, entry.name);
      else if (key === 'mtime') entry.mtime = Math.floor(Number(value.toString())) || 0; // may have a fraction
      else if (key.startsWith('SCHILY.xattr.')) entry.xattrs[key.slice('SCHILY.xattr.'.length)] = value;
    }
    pax = new Map();
    longName = longLink = undefined;

    // Hard and symbolic links have no data whatever their size field says (POSIX); other
    // members' data is skipped unless they are files.
    const size = entry.type === 'link' || entry.type === 'symlink' ? 0 : entry.size;
    let remaining = size;
    const data = async function* (): AsyncGenerator<Buffer> {
      while (remaining > 0) {
        const part = await reader.take(Math.min(remaining, 1 << 20));
        if (part.length === 0) throw new CartonError(`read tar member ${entry.name}: unexpected end of archive`, 'the archive is truncated');
        remaining -= part.length;
        yield part;
      }
    };
    await onEntry(entry, data);
    for await (const _ of data()) { /* skip what the callback did not read */ }
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad) await reader.exactly(pad, entry.name);
  }
}
