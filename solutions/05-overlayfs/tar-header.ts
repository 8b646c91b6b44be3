// The tar format (man 5 tar): a stream of 512-byte blocks. Each member is a header block
// (name, mode, uid, gid, size, mtime, type, link name, all as ASCII octal or text) followed
// by its data padded to 512 bytes; two zero blocks end the archive. POSIX "pax" adds an
// extended header member (type 'x') of "LEN key=value\n" records for what ustar's fixed
// fields cannot hold: long names, big sizes, and xattrs (SCHILY.xattr.NAME).
import { CartonError } from '../../lib/sys/index.js';

export const BLOCK = 512;

export type EntryType = 'file' | 'link' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';

export interface TarEntry {
  name: string;
  type: EntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname: string;
  devmajor: number;
  devminor: number;
  xattrs: Record<string, Buffer>;
}

const TYPEFLAGS: Record<string, EntryType> = { '0': 'file', '\0': 'file', '7': 'file', '1': 'link', '2': 'symlink', '3': 'char', '4': 'block', '5': 'dir', '6': 'fifo' };
const FLAG_OF: Record<EntryType, string> = { file: '0', link: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' };

function text(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
}

function octal(block: Buffer, offset: number, length: number, member: string): number {
  const field = block.subarray(offset, offset + length);
  if (field[0] & 0x80) { // GNU base-256 for big numbers
    let n = 0;
    for (let i = 1; i < length; i++) n = n * 256 + field[i];
    return n;
  }
  const s = text(block, offset, length).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new CartonError(`read tar member ${member}: bad number ${JSON.stringify(s)}`, 'the archive is corrupt or not a tar file');
  return parseInt(s, 8);
}

/** Does this block hold a valid header? The checksum is the sum of its bytes, with the checksum field as spaces. */
function checksumOk(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i];
  const stored = text(block, 148, 8).trim();
  return /^[0-7]+$/.test(stored) && parseInt(stored, 8) === sum;
}

/** Decode a header block: null for an end-of-archive (all zero) block. */
export function decodeHeader(block: Buffer, index: number): { flag: string; entry: TarEntry } | null {
  if (block.every((b) => b === 0)) return null;
  const where = `#${index}`;
  if (!checksumOk(block)) throw new CartonError(`read tar member ${where}: bad header checksum`, 'the archive is corrupt, truncated or not a tar file');
  const prefix = block.toString('latin1', 257, 263).startsWith('ustar') ? text(block, 345, 155) : '';
  const name = prefix ? `${prefix}/${text(block, 0, 100)}` : text(block, 0, 100);
  const flag = String.fromCharCode(block[156]);
  const entry: TarEntry = {
    name,
    type: TYPEFLAGS[flag] ?? 'file',
    mode: octal(block, 100, 8, name) & 0o7777,
    uid: octal(block, 108, 8, name),
    gid: octal(block, 116, 8, name),
    size: octal(block, 124, 12, name),
    mtime: octal(block, 136, 12, name),
    linkname: text(block, 157, 100),
    devmajor: octal(block, 329, 8, name),
    devminor: octal(block, 337, 8, name),
    xattrs: {},
  };
  return { flag, entry };
}

/** Parse pax records "LEN key=value\n" (LEN counts the whole record). */
export function parsePax(data: Buffer, member: string): Map<string, Buffer> {
  const records = new Map<string, Buffer>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    const len = parseInt(data.toString('latin1', pos, space), 10);
    if (space === -1 || !(len > 0) || pos + len > data.length) {
      throw new CartonError(`read tar member ${member}: bad pax record`, 'the archive is corrupt');
    }
    const record = data.subarray(space + 1, pos + len - 1);
    const eq = record.indexOf(0x3d);
    if (eq <= 0 || data[pos + len - 1] !== 0x0a) throw new CartonError(`read tar member ${member}: bad pax record`, 'the archive is corrupt');
    records.set(record.toString('utf8', 0, eq), record.subarray(eq + 1));
    pos += len;
  }
  return records;
}

function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len)), body]);
}

function writeText(block: Buffer, offset: number, length: number, value: string): void {
  block.write(value, offset, length, 'utf8');
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'latin1');
}

function headerBlock(entry: TarEntry, name: string, flag: string, size: number, linkname: string): Buffer {
  const block = Buffer.alloc(BLOCK);
  writeText(block, 0, 100, name);
  writeOctal(block, 100, 8, entry.mode & 0o7777);
  writeOctal(block, 108, 8, Math.min(entry.uid, 0o7777777));
  writeOctal(block, 116, 8, Math.min(entry.gid, 0o7777777));
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, Math.max(0, Math.min(Math.floor(entry.mtime), 0o77777777777)));
  block.fill(0x20, 148, 156);
  block.write(flag, 156, 1, 'latin1');
  writeText(block, 157, 100, linkname);
  block.write('ustar\x0000', 257, 8, 'latin1');
  writeOctal(block, 329, 8, entry.devmajor);
  writeOctal(block, 337, 8, entry.devminor);
  let sum = 0;
  for (const b of block) sum += b;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return block;
}

export function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** The header block(s) of one member: a pax member first when ustar cannot say it all. */
export function encodeHeader(entry: TarEntry): Buffer {
  const pax: Buffer[] = [];
  const fits = (s: string) => Buffer.byteLength(s) < 100;
  if (!fits(entry.name)) pax.push(paxRecord('path', Buffer.from(entry.name)));
  if (!fits(entry.linkname)) pax.push(paxRecord('linkpath', Buffer.from(entry.linkname)));
  if (entry.size > 0o77777777777) pax.push(paxRecord('size', Buffer.from(String(entry.size))));
  if (entry.uid > 0o7777777) pax.push(paxRecord('uid', Buffer.from(String(entry.uid))));
  if (entry.gid > 0o7777777) pax.push(paxRecord('gid', Buffer.from(String(entry.gid))));
  for (const [key, value] of Object.entries(entry.xattrs)) pax.push(paxRecord(`SCHILY.xattr.${key}`, value));
  const main = headerBlock(entry, entry.name.slice(0, 99), FLAG_OF[entry.type], Math.min(entry.size, 0o77777777777), entry.linkname.slice(0, 99));
  if (pax.length === 0) return main;
  const data = Buffer.concat(pax);
  const paxHeader = headerBlock({ ...entry, mode: 0o644 }, 'PaxHeader', 'x', data.length, '');
  return Buffer.concat([paxHeader, data, padding(data.length), main]);
}
